// The app registry hangs together: every call names an app others can find, and the start order follows the calls.
import { describe, expect, it } from 'vitest'
import { APP_NAMES, APPS, callsOf, clusterUrlOf, IMAGES, SERVICE_NAMES, startWaves } from '../src/apps.js'

describe('the app registry', () => {
  it('lists the seven apps on distinct ports, v2 ports included', () => {
    expect(APP_NAMES).toHaveLength(7)
    const ports = APP_NAMES.flatMap((name) => {
      const app: { port: number; v2Port?: number } = APPS[name]
      return [app.port, ...(app.v2Port ? [app.v2Port] : [])]
    })
    expect(new Set(ports).size).toBe(ports.length)
  })

  it('has every app call only services, never itself, and nothing call the UI', () => {
    for (const name of APP_NAMES)
      for (const callee of callsOf(name)) {
        expect(SERVICE_NAMES, `${name} calls ${callee}`).toContain(callee)
        expect(callee).not.toBe(name)
      }
    expect(SERVICE_NAMES).not.toContain('ecommerce-ui')
  })

  it('starts the apps that call nobody first and the UI last', () => {
    expect(startWaves()).toEqual([
      ['product-catalog', 'product-inventory', 'profile-management', 'shipping-and-handling'],
      ['contact-support-team', 'order-management'],
      ['ecommerce-ui'],
    ])
    expect(startWaves(['ecommerce-ui', 'product-catalog'])).toEqual([['product-catalog'], ['ecommerce-ui']])
  })

  it('names in-cluster URLs by Service name and port', () => {
    expect(clusterUrlOf('order-management')).toBe('http://order-management:9090')
  })

  it('builds an image per app and version, the load generator included', () => {
    expect(IMAGES.map((image) => `${image.app}:${image.version}`)).toEqual([
      'product-catalog:v1',
      'product-catalog:v2',
      'product-inventory:v1',
      'profile-management:v1',
      'shipping-and-handling:v1',
      'contact-support-team:v1',
      'order-management:v1',
      'order-management:v2',
      'ecommerce-ui:v1',
      'loadgen:v1',
    ])
  })
})
