import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  mongoUri,
  startApp,
  startFaultProxy,
  startStack,
  uniqueDatabaseName,
  type FaultProxy,
  type StartedApp,
  type Stack,
} from '@shop/test-support'
import { call, signUp, stockOf } from './helpers.js'

describe('an order that fails half-way', () => {
  let stack: Stack
  let shippingProxy: FaultProxy
  let orders: StartedApp

  beforeAll(async () => {
    stack = await startStack({
      apps: ['product-catalog', 'product-inventory', 'profile-management', 'shipping-and-handling'],
    })
    shippingProxy = await startFaultProxy(stack.url('shipping-and-handling'))
    orders = await startApp('order-management', {
      env: {
        MONGODB_URI: await mongoUri(),
        MONGODB_DATABASE: uniqueDatabaseName('orders_compensation'),
        PRODUCT_CATALOG_URL: stack.url('product-catalog'),
        PRODUCT_INVENTORY_URL: stack.url('product-inventory'),
        PROFILE_MANAGEMENT_URL: stack.url('profile-management'),
        SHIPPING_AND_HANDLING_URL: shippingProxy.url,
      },
    })
  })

  afterAll(async () => {
    await orders?.stop()
    await shippingProxy?.close()
    await stack?.stop()
  })

  it('releases the reservation when the shipment cannot be created, and the same key works once it can', async () => {
    const { token } = await signUp(stack, 'unlucky')
    const before = await stockOf(stack, 'trail-running-vest')
    await call(orders.url, '/api/cart/items/trail-running-vest', {
      method: 'PUT',
      token,
      body: { quantity: 2 },
    })
    shippingProxy.fail((request) => request.method === 'POST' && request.url === '/api/shipments')

    const failed = await call(orders.url, '/api/orders', {
      method: 'POST',
      token,
      body: { shippingMethod: 'express' },
      headers: { 'idempotency-key': 'will-fail-first' },
    })
    expect(failed.status).toBe(502)
    expect(failed.body).toMatchObject({
      title: 'Upstream failure',
      requestId: failed.headers.get('x-request-id'),
    })
    expect(failed.body.detail).toMatch(/shipping-and-handling/)
    expect(await stockOf(stack, 'trail-running-vest')).toBe(before)
    expect((await call(orders.url, '/api/cart', { token })).body).toMatchObject({ itemCount: 2 })
    expect((await call(orders.url, '/api/orders', { token })).body.total).toBe(0)

    shippingProxy.heal()
    const retried = await call(orders.url, '/api/orders', {
      method: 'POST',
      token,
      body: { shippingMethod: 'express' },
      headers: { 'idempotency-key': 'will-fail-first' },
    })
    expect(retried.status).toBe(201)
    expect(await stockOf(stack, 'trail-running-vest')).toBe(before - 2)
  })

  it('fails with a clear problem when shipping-and-handling is down, and takes no stock', async () => {
    const { token } = await signUp(stack, 'stranded')
    await call(orders.url, '/api/cart/items/foam-roller', { method: 'PUT', token, body: { quantity: 1 } })
    const before = await stockOf(stack, 'foam-roller')
    await stack.apps['shipping-and-handling']!.stop()

    const failed = await call(orders.url, '/api/orders', {
      method: 'POST',
      token,
      body: { shippingMethod: 'standard' },
      headers: { 'idempotency-key': 'shipping-is-down' },
    })
    expect(failed.status).toBe(502)
    expect(failed.body.detail).toMatch(/shipping-and-handling/)
    expect(await stockOf(stack, 'foam-roller')).toBe(before)
    expect((await call(orders.url, '/api/cart', { token })).body).toMatchObject({ itemCount: 1 })
  })
})
