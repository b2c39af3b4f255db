import { createServer, type Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callJson, expectProblem, startApp, type StartedApp } from '@shop/test-support'

/**
 * The BFF passes the catalog's JSON on as it came, without parsing it into objects and serializing it
 * again. What it must still never pass on: an answer not typed as JSON, or not one whole JSON object (a
 * proxy's page, an answer cut short). A stand-in catalog answers each path the way a broken one, or a
 * proxy in front of it, could.
 */
describe("the BFF's catalog routes, in front of a misbehaving catalog", () => {
  const product = { id: 'foam-roller', name: 'Foam roller', price: 2_500, currency: 'USD' }
  let catalog: Server
  let ui: StartedApp

  beforeAll(async () => {
    catalog = createServer((request, response) => {
      const answer = (status: number, body: string, type = 'application/json; charset=utf-8') => {
        response.writeHead(status, { 'content-type': type, 'x-served-by': 'product-catalog/v1' })
        response.end(body)
      }
      const path = request.url!.split('?')[0]
      if (path === '/api/products/foam-roller') return answer(200, JSON.stringify(product))
      if (path === '/api/products/proxy-page') return answer(200, '<html>upstream error</html>', 'text/html')
      if (path === '/api/products/cut-short') return answer(200, '{"id":"cut-sh')
      if (path === '/api/products/gone')
        return answer(
          404,
          JSON.stringify({ status: 404, title: 'Product not found', detail: 'No product gone' }),
        )
      if (path === '/api/categories') return answer(500, JSON.stringify({ status: 500, detail: 'boom' }))
      answer(200, JSON.stringify({ items: [product], total: 1, page: 1, pageSize: 12, sort: 'name' }))
    })
    await new Promise<void>((resolve) => catalog.listen(0, '127.0.0.1', resolve))
    const { port } = catalog.address() as { port: number }
    ui = await startApp('ecommerce-ui', {
      env: { PRODUCT_CATALOG_URL: `http://127.0.0.1:${port}` },
      timeoutMs: 60_000,
    })
  })

  afterAll(async () => {
    await ui?.stop()
    await new Promise((resolve) => catalog?.close(resolve))
  })

  it("passes the catalog's JSON on unchanged, as JSON, with the versions that served it", async () => {
    const list = await callJson<{ items: unknown[] }>(`${ui.url}/api/products`)
    expect(list.status).toBe(200)
    expect(list.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(list.body).toEqual({ items: [product], total: 1, page: 1, pageSize: 12, sort: 'name' })
    expect(list.headers.get('x-shop-served-by')).toBe('ecommerce-ui/v1, product-catalog/v1')
    const one = await callJson(`${ui.url}/api/products/foam-roller`)
    expect(one).toMatchObject({ status: 200, body: product })
  })

  it('turns a body that is not JSON, or JSON cut short, into a 502 problem naming the catalog', async () => {
    for (const id of ['proxy-page', 'cut-short']) {
      const answer = await callJson<{ upstream?: { service: string } }>(`${ui.url}/api/products/${id}`)
      expectProblem(answer, 502, id)
      expect(answer.body.upstream?.service, id).toBe('product-catalog')
    }
  })

  it("turns the catalog's 5xx into a 502 problem, and passes its 4xx on as the same problem", async () => {
    const failed = await callJson<{ detail: string }>(`${ui.url}/api/categories`)
    expectProblem(failed, 502, 'categories')
    expect(failed.body.detail).toContain('product-catalog failed')
    const missing = await callJson<{ title: string; detail: string }>(`${ui.url}/api/products/gone`)
    expectProblem(missing, 404, 'gone')
    expect(missing.body).toMatchObject({ title: 'Product not found', detail: 'No product gone' })
  })
})
