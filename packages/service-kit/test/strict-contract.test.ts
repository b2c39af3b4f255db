import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createService, problemResponses, Type, type ServiceApp } from '@shop/service-kit'
import { startService } from '@shop/test-support'
import { demoConfig } from './fixtures/demo-config.js'

const demoService = fileURLToPath(new URL('fixtures/demo-service.mjs', import.meta.url))
const config = demoConfig('v1')

describe('inputs, methods and URLs at the edge of the contract', () => {
  let app: ServiceApp
  const received: unknown[] = []

  beforeAll(async () => {
    app = await createService({ name: 'demo', description: 'test', config })
    app.put(
      '/lines/:id',
      {
        schema: {
          params: Type.Object({ id: Type.Integer() }),
          querystring: Type.Object({ limit: Type.Integer({ default: 10 }) }),
          body: Type.Object({ quantity: Type.Integer(), gift: Type.Optional(Type.Boolean()) }),
          response: { 200: Type.Object({}, { additionalProperties: true }), ...problemResponses(400, 404) },
        },
      },
      async (request) => {
        received.push(request.body)
        return { id: request.params.id, limit: request.query.limit, ...request.body }
      },
    )
    app.get('/lines/:id', async () => ({}))
    await app.ready()
  })
  afterAll(() => app.close())

  const put = (payload: string, url = '/lines/7') =>
    app.inject({ method: 'PUT', url, payload, headers: { 'content-type': 'application/json' } })

  it.each(['null', '"3"', 'true', '[2]', '3.5'])(
    'refuses {"quantity": %s} in a body: no coercion',
    async (value) => {
      const response = await put(`{"quantity": ${value}}`)
      expect(response.statusCode).toBe(400)
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/)
      expect(response.json()).toMatchObject({ status: 400, requestId: response.headers['x-request-id'] })
      expect(response.json().detail).toContain('body/quantity')
    },
  )

  it('refuses a boolean sent as text, and keeps a real boolean a boolean', async () => {
    expect((await put('{"quantity": 1, "gift": "true"}')).statusCode).toBe(400)
    const response = await put('{"quantity": 1, "gift": true}')
    expect(response.statusCode).toBe(200)
    expect(received.at(-1)).toStrictEqual({ quantity: 1, gift: true })
  })

  it('still reads numbers from the path and the query string, with defaults', async () => {
    const response = await put('{"quantity": 2}', '/lines/7?limit=3')
    expect(response.json()).toEqual({ id: 7, limit: 3, quantity: 2 })
    expect((await put('{"quantity": 2}')).json().limit).toBe(10)
  })

  it('answers a known path asked with another method 405 with Allow, an unknown path 404', async () => {
    const response = await app.inject({ method: 'DELETE', url: '/lines/7' })
    expect(response.statusCode).toBe(405)
    expect(response.headers.allow).toBe('GET, HEAD, PUT')
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(response.json()).toMatchObject({ status: 405, requestId: response.headers['x-request-id'] })
    expect((await app.inject({ method: 'DELETE', url: '/nothing' })).statusCode).toBe(404)
    // QUERY carries a body, parsed before routing: without a media type it is still a 405.
    expect((await app.inject({ method: 'QUERY', url: '/lines/7' })).statusCode).toBe(405)
  })

  it('answers a malformed percent-encoding with problem+json 400, the request id and the usual headers', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/lines/%c0',
      headers: { 'x-request-id': 'bad-url-1' },
    })
    expect(response.statusCode).toBe(400)
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(response.headers['x-request-id']).toBe('bad-url-1')
    expect(response.headers['x-served-by']).toBe('demo/v1')
    expect(response.json()).toMatchObject({ status: 400, requestId: 'bad-url-1' })
    expect(response.body).not.toContain('%c0')
  })

  it('takes a valid x-request-id as is, and replaces an over-long or odd one', async () => {
    const idOf = async (value: string) =>
      (await app.inject({ method: 'GET', url: '/lines/1', headers: { 'x-request-id': value } })).headers[
        'x-request-id'
      ]
    expect(await idOf('7f3c2a9e-1b2d-4c5e-8f90-123456789abc')).toBe('7f3c2a9e-1b2d-4c5e-8f90-123456789abc')
    for (const odd of ['x'.repeat(129), 'has spaces', '{"json":1}', 'é']) {
      const id = await idOf(odd)
      expect(id).not.toBe(odd)
      expect(id).toMatch(/^[0-9a-f-]{36}$/)
    }
  })
})

describe('the OpenAPI document', () => {
  it('states problems as application/problem+json, and query parameters with defaults as optional', async () => {
    const app = await createService({ name: 'demo', description: 'test', config })
    app.get(
      '/things',
      {
        schema: {
          querystring: Type.Object({ page: Type.Integer({ default: 1 }), q: Type.String() }),
          response: { 200: Type.Object({ n: Type.Integer() }), ...problemResponses(400, 404) },
        },
      },
      async () => ({ n: 1 }),
    )
    await app.ready()
    const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json()
    await app.close()
    const operation = document.paths['/things'].get
    const required = Object.fromEntries(
      operation.parameters.map((parameter: { name: string; required: boolean }) => [
        parameter.name,
        parameter.required,
      ]),
    )
    expect(required).toEqual({ page: false, q: true })
    for (const status of ['400', '404'])
      expect(Object.keys(operation.responses[status].content)).toEqual(['application/problem+json'])
    expect(Object.keys(operation.responses['200'].content)).toEqual(['application/json'])
  })
})

describe('a request its caller abandons', () => {
  it('leaves a log line and counts in http_requests_aborted_total', async () => {
    const service = await startService(demoService)
    try {
      const caller = new AbortController()
      const abandoned = fetch(`${service.url}/slow?ms=1500`, {
        signal: caller.signal,
        headers: { 'x-request-id': 'abandoned-1' },
      }).catch(() => 'aborted')
      await new Promise((resolve) => setTimeout(resolve, 300))
      caller.abort()
      expect(await abandoned).toBe('aborted')
      const line = await service.waitForLine((text) => text.includes('request aborted by the caller'))
      expect(JSON.parse(line)).toMatchObject({ requestId: 'abandoned-1', route: '/slow', level: 'warn' })
      const metrics = await (await fetch(`${service.url}/metrics`)).text()
      expect(metrics).toMatch(/http_requests_aborted_total\{[^}]*method="GET",route="\/slow"[^}]*\} 1/)
    } finally {
      await service.stop()
    }
  })
})
