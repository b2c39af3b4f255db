import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createService, ProblemError, Type, type ServiceApp } from '@shop/service-kit'
import { demoConfig } from './fixtures/demo-config.js'

const config = demoConfig('v2')

describe('a service built with the kit', () => {
  let app: ServiceApp

  beforeAll(async () => {
    app = await createService({ name: 'demo', description: 'test', config })
    app.post(
      '/things',
      {
        schema: {
          body: Type.Object(
            { name: Type.String({ minLength: 1, maxLength: 20 }), size: Type.Enum(['s', 'm', 'l']) },
            { additionalProperties: false },
          ),
          response: { 201: Type.Object({ name: Type.String() }) },
        },
      },
      async (request, reply) =>
        reply.code(201).send({ name: request.body.name, secret: 'not serialized' } as never),
    )
    app.get('/conflict', async () => {
      throw new ProblemError(409, 'The thing is taken', { title: 'Taken', extensions: { thing: 'x' } })
    })
    app.get('/crash', async () => {
      throw new Error('connection string mongodb://admin:hunter2@db leaked')
    })
    await app.ready()
  })

  afterAll(() => app.close())

  it('rejects invalid input with 400 problem+json naming the field, and no stack trace', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/things',
      payload: { name: '', size: 'xl', extra: 1 },
    })
    expect(response.statusCode).toBe(400)
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/)
    const problem = response.json()
    expect(problem).toMatchObject({
      title: 'Invalid request',
      status: 400,
      requestId: response.headers['x-request-id'],
    })
    expect(problem.detail).toContain('body/name')
    expect(problem.detail).toContain('must be one of: s, m, l')
    expect(problem.errors.map((issue: { path: string }) => issue.path)).toEqual(
      expect.arrayContaining(['/name', '/size']),
    )
    expect(response.body).not.toMatch(/at .*\.(js|ts):\d+/)
  })

  it('rejects malformed JSON and wrong media types as problems', async () => {
    const badJson = await app.inject({
      method: 'POST',
      url: '/things',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": ',
    })
    expect(badJson.statusCode).toBe(400)
    expect(badJson.headers['content-type']).toMatch(/problem\+json/)
    const wrongType = await app.inject({
      method: 'POST',
      url: '/things',
      headers: { 'content-type': 'text/xml' },
      payload: '<thing/>',
    })
    expect(wrongType.statusCode).toBe(415)
    expect(wrongType.json().status).toBe(415)
  })

  it('serializes only what the response schema declares', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/things',
      payload: { name: 'lamp', size: 'm' },
    })
    expect(response.statusCode).toBe(201)
    expect(response.json()).toEqual({ name: 'lamp' })
  })

  it('answers thrown problems with their status, title and extensions', async () => {
    const response = await app.inject({ url: '/conflict', headers: { 'x-request-id': 'abc-123' } })
    expect(response.statusCode).toBe(409)
    expect(response.json()).toEqual({
      type: 'about:blank',
      title: 'Taken',
      status: 409,
      detail: 'The thing is taken',
      requestId: 'abc-123',
      thing: 'x',
    })
  })

  it('hides the message and stack of unexpected errors', async () => {
    const response = await app.inject({ url: '/crash' })
    expect(response.statusCode).toBe(500)
    expect(response.headers['content-type']).toMatch(/problem\+json/)
    expect(response.body).not.toContain('hunter2')
    expect(response.body).not.toContain('Error:')
    expect(response.json().detail).toMatch(/unexpected error/)
  })

  it('answers unknown routes with a 404 problem', async () => {
    const response = await app.inject({ url: '/nowhere?x=1' })
    expect(response.statusCode).toBe(404)
    expect(response.json()).toMatchObject({ status: 404, detail: 'No route GET /nowhere' })
  })

  it('tags every response with x-request-id and x-served-by', async () => {
    const given = await app.inject({ url: '/healthz', headers: { 'x-request-id': 'given-id' } })
    expect(given.headers['x-request-id']).toBe('given-id')
    expect(given.headers['x-served-by']).toBe('demo/v2')
    const generated = await app.inject({ url: '/nowhere' })
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
    expect(generated.headers['x-served-by']).toBe('demo/v2')
  })

  it('counts requests by route, method and status on /metrics', async () => {
    await app.inject({ method: 'POST', url: '/things', payload: { name: 'cup', size: 's' } })
    const metrics = (await app.inject({ url: '/metrics' })).body
    expect(metrics).toMatch(
      /http_requests_total\{method="POST",route="\/things",status_code="201",service="demo",version="v2"\} \d+/,
    )
    expect(metrics).toMatch(
      /http_request_duration_seconds_count\{[^}]*route="\/things",status_code="201"[^}]*\} \d+/,
    )
    expect(metrics).toContain('process_cpu_user_seconds_total')
    expect(metrics).not.toMatch(/route="\/healthz"/)
  })

  it('documents its routes in OpenAPI from the validation schemas', async () => {
    const document = (await app.inject({ url: '/openapi.json' })).json()
    expect(document.openapi).toBe('3.1.0')
    const body = document.paths['/things'].post.requestBody.content['application/json'].schema
    expect(body.properties.size.enum).toEqual(['s', 'm', 'l'])
    expect(document.paths['/metrics']).toBeUndefined()
    expect((await app.inject({ url: '/docs/' })).statusCode).toBe(200)
  })

  it('is not ready until it serves', async () => {
    const response = await app.inject({ url: '/readyz' })
    expect(response.statusCode).toBe(503)
    expect(response.json()).toMatchObject({ status: 503, checks: { lifecycle: 'starting' } })
    app.readiness.markServing()
    expect((await app.inject({ url: '/readyz' })).statusCode).toBe(200)
  })
})
