import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { products } from '@shop/catalog-data'
import { testDatabase, type TestDatabase, type StartedApp } from '@shop/test-support'
import { call, ledgerOf, startInventory, type InventoryItem, type Movement, type Problem } from './helpers.js'

describe('product-inventory: stock and ledger', () => {
  let app: StartedApp
  let database: TestDatabase

  beforeAll(async () => {
    database = await testDatabase('inventory')
    app = await startInventory(database.env)
  })

  afterAll(async () => {
    await app?.stop()
    await database?.drop()
  })

  it('starts every catalog product with its initial stock', async () => {
    const { status, headers, body } = await call<{ items: InventoryItem[]; total: number }>(
      app,
      'GET',
      '/api/inventory',
    )
    expect(status).toBe(200)
    expect(headers.get('x-served-by')).toBe('product-inventory/v1')
    expect(body.total).toBe(products.length)
    expect(body.items).toHaveLength(products.length)
    const stock = Object.fromEntries(body.items.map((item) => [item.productId, item.available]))
    expect(stock).toEqual(Object.fromEntries(products.map((product) => [product.id, product.initialStock])))
    for (const item of body.items) expect(new Date(item.updatedAt).toISOString()).toBe(item.updatedAt)
  })

  it('filters by product ids, leaving out ids it does not know', async () => {
    const [first, second] = products
    const { body } = await call<{ items: InventoryItem[]; total: number }>(
      app,
      'GET',
      `/api/inventory?productIds=${second!.id},no-such-product,${first!.id}`,
    )
    expect(body.items.map((item) => item.productId).sort()).toEqual([first!.id, second!.id].sort())
    expect(body.total).toBe(2)
  })

  it("answers one product's stock and its ledger, and 404 for an unknown product", async () => {
    const product = products[3]!
    const one = await call<InventoryItem>(app, 'GET', `/api/inventory/${product.id}`)
    expect(one.status).toBe(200)
    expect(one.body).toMatchObject({ productId: product.id, available: product.initialStock })

    const ledger = await ledgerOf(app, product.id)
    expect(ledger).toEqual<Movement[]>([
      {
        productId: product.id,
        seq: 0,
        change: product.initialStock,
        availableAfter: product.initialStock,
        reason: 'initial',
        at: expect.any(String),
      },
    ])

    for (const path of ['/api/inventory/no-such-product', '/api/inventory/no-such-product/movements']) {
      const missing = await call<Problem>(app, 'GET', path)
      expect(missing.status, path).toBe(404)
      expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/)
      expect(missing.body).toMatchObject({ type: 'urn:shop:problem:product-not-found', status: 404 })
      expect(missing.body.requestId).toBe(missing.headers.get('x-request-id'))
    }
  })

  it('answers bad queries with 400 problems', async () => {
    for (const path of [
      '/api/inventory?productIds=Not_A_Slug',
      '/api/inventory?productIds=a,,b',
      '/api/inventory/UPPER-CASE',
      `/api/inventory/${products[0]!.id}/movements?page=0`,
      `/api/inventory/${products[0]!.id}/movements?pageSize=501`,
    ]) {
      const { status, headers, body } = await call<Problem>(app, 'GET', path)
      expect(status, path).toBe(400)
      expect(headers.get('content-type')).toMatch(/^application\/problem\+json/)
      expect(body).toMatchObject({ type: 'urn:shop:problem:invalid-request', status: 400 })
    }
  })

  it('has the kit: health, readiness, metrics, and an OpenAPI document listing its routes', async () => {
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200)
    expect((await fetch(`${app.url}/readyz`)).status).toBe(200)
    const metrics = await (await fetch(`${app.url}/metrics`)).text()
    expect(metrics).toMatch(/http_requests_total\{[^}]*route="\/api\/inventory"/)

    const openapi = await call<{ paths: Record<string, Record<string, unknown>> }>(
      app,
      'GET',
      '/openapi.json',
    )
    const routes = Object.entries(openapi.body.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    )
    expect(routes.sort()).toEqual(
      [
        'GET /api/inventory',
        'GET /api/inventory/{productId}',
        'GET /api/inventory/{productId}/movements',
        'POST /api/reservations',
        'GET /api/reservations/{orderId}',
        'DELETE /api/reservations/{orderId}',
      ].sort(),
    )
    expect(JSON.stringify(openapi.body.paths['/api/reservations'])).toContain('shortages')
  })
})
