import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { products } from '@shop/catalog-data'
import { freePort, waitForReady } from '@shop/test-support'
import { ADDRESS, newAccount, ShopClient } from '../../apps/ecommerce-ui/test/support/shop-client.ts'
import { docker, engineAvailable, engineRequired, run } from '../images/docker.js'

const PORT_VARIABLES = [
  'SHOP_DATABASE_PORT',
  'SHOP_UI_PORT',
  'SHOP_PRODUCT_CATALOG_PORT',
  'SHOP_PRODUCT_INVENTORY_PORT',
  'SHOP_PROFILE_MANAGEMENT_PORT',
  'SHOP_SHIPPING_AND_HANDLING_PORT',
  'SHOP_CONTACT_SUPPORT_TEAM_PORT',
  'SHOP_ORDER_MANAGEMENT_PORT',
]

describe.skipIf(!engineAvailable && !engineRequired)(
  'docker-compose up of the shop, FerretDB in place of MongoDB (compose/ci.yml)',
  () => {
    const project = `shop-ci-${randomBytes(4).toString('hex')}`
    let env: NodeJS.ProcessEnv
    let compose: (...args: string[]) => Promise<string>
    let ui: string

    beforeAll(async () => {
      expect(engineAvailable, `no Docker engine answers ${docker} info`).toBe(true)
      const ports = Object.fromEntries(
        await Promise.all(PORT_VARIABLES.map(async (name) => [name, String(await freePort())] as const)),
      )
      env = {
        ...process.env,
        ...ports,
        DOCKER_HOST: process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock',
      }
      ui = `http://127.0.0.1:${ports.SHOP_UI_PORT}`
      compose = (...args) =>
        run('docker-compose', ['-p', project, '-f', 'docker-compose.yml', '-f', 'compose/ci.yml', ...args], {
          env,
          timeoutMs: 240_000,
        })
      const withLogs = async (error: unknown) => {
        throw new Error(`${String(error)}\n${await compose('logs', '--tail=40').catch(String)}`)
      }
      // `up` waits for each dependency's health check: the database, then the services.
      await compose('up', '--detach', '--no-build', 'order-management', 'contact-support-team').catch(
        withLogs,
      )
      // `up --detach` waits for the health of their dependencies, not of the two it starts: the UI is
      // run without dependencies, so wait for them here (order-management migrates before it is ready).
      await Promise.all(
        ['SHOP_ORDER_MANAGEMENT_PORT', 'SHOP_CONTACT_SUPPORT_TEAM_PORT'].map((name) =>
          waitForReady(`http://127.0.0.1:${ports[name]}`, 120_000),
        ),
      ).catch(withLogs)
      // The UI publishes a port in docker-compose.yml, which the host network refuses; `run` leaves it out.
      await compose('run', '--detach', '--no-deps', `--name=${project}_ecommerce-ui`, 'ecommerce-ui').catch(
        withLogs,
      )
      await waitForReady(ui, 120_000).catch(withLogs)
    }, 300_000)

    afterAll(async () => {
      await compose?.('down', '--volumes', '--remove-orphans', '--timeout=30')
    }, 120_000)

    it('places an order through the UI: sign up, add to cart, check out, see it in the history', async () => {
      const client = new ShopClient(ui)
      const signup = await client.send('POST', '/api/auth/signup', { body: newAccount('compose') })
      expect(signup.status, signup.text).toBe(201)

      const product = products[0]!
      const added = await client.send('PUT', `/api/cart/items/${product.id}`, { body: { quantity: 2 } })
      expect(added.status, added.text).toBe(200)

      const placed = await client.send<{ id: string; status: string; subtotal: number; total: number }>(
        'POST',
        '/api/orders',
        {
          body: { shippingMethod: 'standard', address: ADDRESS },
          headers: { 'idempotency-key': `compose-${project}` },
        },
      )
      expect(placed.status, placed.text).toBe(201)
      expect(placed.body.subtotal).toBe(2 * product.price)
      expect(placed.headers.get('x-served-by')).toBe('ecommerce-ui/v1')

      const history = await client.get<{ items: { id: string }[] }>('/api/orders')
      expect(history.body.items.map((order) => order.id)).toEqual([placed.body.id])
      expect((await client.get<{ items: unknown[] }>('/api/cart')).body.items).toEqual([])
    })
  },
)
