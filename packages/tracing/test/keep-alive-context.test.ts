import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFixture } from './start-fixture.js'

describe('a kept-alive connection after its request', () => {
  let server: Awaited<ReturnType<typeof startFixture>>
  beforeAll(async () => {
    server = await startFixture('keep-alive-server.mjs')
  })
  afterAll(() => server?.process.stop())

  // Node arms the keep-alive timer while the response finishes, inside the request's context; a timer
  // keeps the context it was armed in, so the connection would hold the request's span until its next
  // request (packages/bench/README.md measured what that cost under load).
  it('waits for the next request outside the trace of the last one', { timeout: 10_000 }, async () => {
    // A bare socket: Node's own client would close the connection before the server's timer fires.
    const socket = connect(server.port, '127.0.0.1')
    const head = await new Promise<string>((resolve, reject) => {
      socket.once('data', (chunk) => resolve(chunk.toString('latin1')))
      socket.once('error', reject)
      socket.write('GET /products HTTP/1.1\r\nHost: shop\r\nConnection: keep-alive\r\n\r\n')
    })
    expect(head).toMatch(/^x-server-span-id: [0-9a-f]{16}$/im)

    const fired = await server.process.waitForLine(
      (line) => line.startsWith('{"keepAliveTimeoutSpan"'),
      5_000,
    )
    socket.destroy()
    expect(JSON.parse(fired)).toEqual({ keepAliveTimeoutSpan: null })
  })
})
