import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type StartedApp } from '@shop/test-support'

describe("order-management v2 without a database (the tutorial's faulty version)", () => {
  let faulty: StartedApp

  beforeAll(async () => {
    faulty = await startApp('order-management', { env: { SERVICE_VERSION: 'v2' } })
  })

  afterAll(async () => {
    await faulty?.stop()
  })

  it('is live and ready, so the mesh keeps sending it traffic', async () => {
    expect((await fetch(`${faulty.url}/healthz`)).status).toBe(200)
    expect((await fetch(`${faulty.url}/readyz`)).status).toBe(200)
  })

  it.each([
    ['GET', '/api/cart'],
    ['PUT', '/api/cart/items/foam-roller'],
    ['DELETE', '/api/cart/items/foam-roller'],
    ['GET', '/api/cart/quote'],
    ['POST', '/api/orders'],
    ['GET', '/api/orders'],
    ['GET', '/api/orders/ORD-123'],
  ])('answers %s %s with a 500 problem, never a 503', async (method, path) => {
    const response = await fetch(`${faulty.url}${path}`, {
      method,
      headers: {
        authorization: 'Bearer whatever',
        'content-type': 'application/json',
        'idempotency-key': 'key-12345',
      },
      body:
        method === 'PUT' || method === 'POST'
          ? JSON.stringify({ quantity: 1, shippingMethod: 'standard' })
          : undefined,
    })
    expect(response.status).toBe(500)
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    expect(response.headers.get('x-served-by')).toBe('order-management/v2')
    const problem = (await response.json()) as Record<string, unknown>
    expect(problem).toMatchObject({ status: 500, title: 'Database not configured' })
    expect(problem.requestId).toBe(response.headers.get('x-request-id'))
  })
})
