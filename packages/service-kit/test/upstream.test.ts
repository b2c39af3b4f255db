import { AsyncLocalStorage } from 'node:async_hooks'
import { createServer, type Server } from 'node:http'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ProblemError } from '@shop/service-kit'
import { Upstream } from '@shop/service-kit/upstream'
import { freePort } from '@shop/test-support'

setFlagsFromString('--expose-gc')
const collectGarbage = runInNewContext('gc') as () => void

describe('Upstream', () => {
  let server: Server
  let upstream: Upstream

  beforeAll(async () => {
    server = createServer((request, response) => {
      const reply = (status: number, body: string, type = 'application/json') => {
        response.writeHead(status, { 'content-type': type, 'x-served-by': 'neighbour/v2' })
        response.end(body)
      }
      if (request.url === '/ok')
        return reply(200, JSON.stringify({ seen: request.headers['x-custom'] ?? null }))
      if (request.url === '/conflict') return reply(409, JSON.stringify({ status: 409, detail: 'taken' }))
      if (request.url === '/broken')
        return reply(500, JSON.stringify({ status: 500, detail: 'database not configured' }))
      if (request.url === '/html') return reply(200, '<html>proxy error</html>', 'text/html')
      if (request.url === '/untyped') return reply(200, '{"a":1}', 'text/plain')
      if (request.url === '/problem') return reply(404, '{"detail":"none"}', 'application/problem+json')
      if (request.url === '/cut-short') return reply(200, '{"a":', 'application/json; charset=utf-8')
      if (request.url === '/garbled') return reply(200, ' {"a":} ', 'application/json; charset=utf-8')
      if (request.url === '/with-bom') return reply(200, '\ufeff{"name":"Café"}')
      if (request.url === '/slow') return setTimeout(() => reply(200, '{}'), 1_000)
      reply(404, '{}')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    upstream = new Upstream(
      'neighbour',
      `http://127.0.0.1:${(server.address() as { port: number }).port}`,
      300,
    )
  })

  afterAll(() => new Promise((resolve) => server.close(resolve)))

  it('returns answers below 500 to the caller, with the headers it was given', async () => {
    const ok = await upstream.call<{ seen: string }>('/ok', {
      headers: { 'x-custom': 'yes', skipped: undefined },
    })
    expect(ok).toMatchObject({ status: 200, body: { seen: 'yes' } })
    const conflict = await upstream.call('/conflict', { method: 'POST', body: { a: 1 } })
    expect(conflict).toMatchObject({ status: 409, body: { detail: 'taken' } })
  })

  it('turns a 5xx into a 502 problem naming the service and its detail', async () => {
    const error = (await upstream.call('/broken').catch((caught: unknown) => caught)) as ProblemError
    expect(error).toBeInstanceOf(ProblemError)
    expect(error.status).toBe(502)
    expect(error.message).toBe('neighbour failed: GET /broken answered 500 (database not configured)')
    expect(error.extensions).toEqual({
      upstream: { service: 'neighbour', status: 500, servedBy: 'neighbour/v2' },
    })
  })

  it('turns an answer not typed as JSON, or not one whole object or array, into a 502 problem', async () => {
    for (const path of ['/html', '/untyped', '/cut-short'])
      await expect(upstream.call(path), path).rejects.toMatchObject({ status: 502 })
    await expect(upstream.call('/problem')).resolves.toMatchObject({ status: 404, body: { detail: 'none' } })
  })

  it('keeps the bytes as they came, without a byte order mark, and decodes them as UTF-8', async () => {
    const answer = await upstream.call<{ name: string }>('/with-bom')
    expect(answer.bytes).toEqual(Buffer.from('{"name":"Café"}'))
    expect(answer.text).toBe('{"name":"Café"}')
    expect(answer.body).toEqual({ name: 'Café' })
  })

  it('parses a body only when it is read, and a garbled one is then a 502 problem', async () => {
    const garbled = await upstream.call('/garbled')
    expect(garbled.text).toBe(' {"a":} ')
    expect(() => garbled.body).toThrow(
      expect.objectContaining({ status: 502, message: 'neighbour failed: GET /garbled answered 200' }),
    )
  })

  // Every timer keeps the context it was started in: a timeout still pending after the answer kept the
  // caller's request and trace alive for the whole timeout (packages/bench/README.md).
  it("lets go of the caller's context as soon as the call has answered", async () => {
    const patient = new Upstream('neighbour', upstream.baseUrl, 60_000)
    // Open the pooled connection outside the caller's context (a connection keeps the context it was
    // opened in); undici takes a tick after the answer to make it free for the next call.
    await patient.call('/ok')
    await new Promise((resolve) => setImmediate(resolve))
    const storage = new AsyncLocalStorage<object>()
    let collected = false
    const registry = new FinalizationRegistry(() => (collected = true))
    await (async () => {
      const request = { path: '/cart' }
      registry.register(request, 'the caller')
      await storage.run(request, () => patient.call('/ok'))
    })()
    // Two collections free it; with AbortSignal.timeout it took a third (the first let the timer's
    // signal go, and only then did the signal's finalizer clear the timer).
    for (let round = 0; round < 2; round++) {
      collectGarbage()
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    expect(collected).toBe(true)
  })

  it('gives up after its timeout with a 504 problem', async () => {
    const started = Date.now()
    await expect(upstream.call('/slow')).rejects.toMatchObject({
      status: 504,
      message: 'neighbour did not answer GET /slow within 300 ms',
    })
    expect(Date.now() - started).toBeLessThan(900)
  })

  it('reports an unreachable service as a 502 problem', async () => {
    const nobody = new Upstream('nobody', `http://127.0.0.1:${await freePort()}`, 1_000)
    await expect(nobody.call('/x')).rejects.toMatchObject({
      status: 502,
      message: 'nobody is unreachable (ECONNREFUSED)',
    })
  })
})
