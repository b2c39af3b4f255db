import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWeightedRouter, type WeightedRouter } from '../src/index.js'

/** Sends a GET with these headers and gives back the answer's headers and body. */
function get(url: string, headers: Record<string, string>) {
  return new Promise<{ headers: IncomingHttpHeaders; body: string }>((resolve, reject) => {
    request(url, { headers, agent: false }, (answer) => {
      let body = ''
      answer.setEncoding('utf8')
      answer.on('data', (chunk: string) => (body += chunk))
      answer.on('end', () => resolve({ headers: answer.headers, body }))
    })
      .on('error', reject)
      .end()
  })
}

describe('a stand-in proxy passing a request on', () => {
  let service: Server
  let router: WeightedRouter

  beforeAll(async () => {
    // Like a Fastify service: keeps idle connections 72 s and says so, and names a header of its hop.
    service = createServer((incoming, outgoing) => {
      outgoing.writeHead(200, {
        'content-type': 'application/json',
        connection: 'keep-alive, x-service-hop',
        'x-service-hop': 'this connection only',
        'x-served-by': 'service',
      })
      outgoing.end(JSON.stringify(incoming.headers))
    })
    service.keepAliveTimeout = 72_000
    await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve))
    const { port } = service.address() as { port: number }
    router = await startWeightedRouter([{ url: `http://127.0.0.1:${port}`, weight: 1 }])
  })

  afterAll(async () => {
    await router.close()
    await new Promise((resolve) => service.close(resolve))
  })

  it('passes on the end-to-end headers only, and keeps its own connections as it says it does', async () => {
    const answer = await get(router.url, {
      connection: 'keep-alive, x-caller-hop',
      'keep-alive': 'timeout=99',
      'x-caller-hop': 'this connection only',
      'x-request-id': 'kept',
    })
    const received = JSON.parse(answer.body) as IncomingHttpHeaders
    expect(received['x-request-id']).toBe('kept')
    expect(received['x-caller-hop']).toBeUndefined()
    expect(received['keep-alive']).toBeUndefined()

    expect(answer.headers['x-served-by']).toBe('service')
    expect(answer.headers['x-service-hop']).toBeUndefined()
    // The router's own idle timeout (65 s), not the service's 72 s: a caller trusting 72 s would reuse
    // a connection the router had closed.
    expect(answer.headers['keep-alive']).toBe('timeout=65')
  })
})
