import { APP_NAMES } from '@shop/contracts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, startStack, type StartedApp, type Stack } from '@shop/test-support'
import { runLoadgen } from './helpers.js'

interface Summary {
  requests: number
  errors: number
  errorRate: number
  errorsByRouteAndStatus: { route: string; status: number; count: number }[]
  journeys: Record<string, { completed: number; failed: number }>
}

function load(target: string, seconds: number) {
  return runLoadgen<Summary>([
    ...['--target', target, '--users', '4', '--duration', `${seconds}s`],
    ...['--ramp-up', '1', '--think-time', '100'],
  ])
}

describe('the load generator as a smoke test', () => {
  let stack: Stack
  let faultyOrders: StartedApp
  let uiOnFaultyOrders: StartedApp

  beforeAll(async () => {
    stack = await startStack({
      apps: APP_NAMES,
      env: { 'profile-management': { AUTH_ATTEMPTS_PER_CLIENT_PER_MINUTE: '1000' } },
    })
    // The tutorial's faulty v2 (no database) put behind a second UI backend, the rest shared.
    faultyOrders = await startApp('order-management', {
      env: { ...stack.urls(), SERVICE_VERSION: 'v2' },
    })
    uiOnFaultyOrders = await startApp('ecommerce-ui', {
      env: { ...stack.urls(), ORDER_MANAGEMENT_URL: faultyOrders.url },
    })
  })

  afterAll(async () => {
    await uiOnFaultyOrders?.stop()
    await faultyOrders?.stop()
    await stack?.stop()
  })

  it('walks every journey against the healthy shop with no error, and exits 0', async () => {
    const { code, summary, output } = await load(stack.url('ecommerce-ui'), 12)
    expect(summary.errors, output.join('\n')).toBe(0)
    expect(code).toBe(0)
    expect(Object.keys(summary.journeys).sort()).toEqual([
      'account',
      'browse',
      'checkout',
      'product',
      'shipping',
      'support',
    ])
    expect(output.some((line) => /^\[\s+\d+s\]\s+[\d.]+ req\/s/.test(line))).toBe(true)
    expect(output).toContainEqual(expect.stringMatching(/^Summary: \d+ requests/))
  })

  it('sees the error rate climb on carts and orders when order-management v2 is behind the UI, and exits 1', async () => {
    const { code, summary } = await load(uiOnFaultyOrders.url, 10)
    expect(code).toBe(1)
    expect(summary.errorRate).toBeGreaterThan(0.01)
    const failing = new Set(summary.errorsByRouteAndStatus.map(({ route }) => route))
    for (const route of failing) expect(route).toMatch(/\/api\/(cart|orders)/)
    expect(summary.errorsByRouteAndStatus.every(({ status }) => status >= 500)).toBe(true)
    expect(summary.journeys.checkout?.failed).toBeGreaterThan(0)
    expect(summary.journeys.browse?.failed ?? 0).toBe(0)
  })
})
