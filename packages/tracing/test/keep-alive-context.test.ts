import { connect } from 'node:net'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { startProcess } from '@shop/test-support'

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url))

describe('a kept-alive connection after its request', () => {
  const server = startProcess({
    command: process.execPath,
    args: ['--import', '@shop/tracing/register', `${fixtures}keep-alive-server.mjs`],
    cwd: fixtures,
    env: { PATH: process.env.PATH },
    label: 'keep-alive-server',
  })
  afterAll(() => server.stop())

  // Node arms the keep-alive timer while the response finishes, inside the request's context; a timer
  // keeps the context it was armed in, so the connection would hold the request's span until its next
  // request (packages/bench/README.md measured what that cost under load).
  it('waits for the next request outside the trace of the last one', { timeout: 10_000 }, async () => {
    const listening = await server.waitForLine((line) => line.startsWith('{"listening"'))
    const { listening: port } = JSON.parse(listening) as { listening: number }

    // A bare socket: Node's own client would close the connection before the server's timer fires.
    const socket = connect(port, '127.0.0.1')
    const head = await new Promise<string>((resolve, reject) => {
      socket.once('data', (chunk) => resolve(chunk.toString('latin1')))
      socket.once('error', reject)
      socket.write('GET /products HTTP/1.1\r\nHost: shop\r\nConnection: keep-alive\r\n\r\n')
    })
    expect(head).toMatch(/^x-server-span-id: [0-9a-f]{16}$/im)

    const fired = await server.waitForLine((line) => line.startsWith('{"keepAliveTimeoutSpan"'), 5_000)
    socket.destroy()
    expect(JSON.parse(fired)).toEqual({ keepAliveTimeoutSpan: null })
  })
})
