import { createServer, type IncomingMessage } from 'node:http'
import { forwardTo } from './forward.js'

export interface FaultProxy {
  /** Base URL to give the caller instead of the real service's. */
  readonly url: string
  /** From now on, answers requests that match with this status instead of forwarding them. */
  fail(matches: (request: IncomingMessage) => boolean, status?: number): void
  /** From now on, holds requests that match this long before forwarding them. */
  delay(matches: (request: IncomingMessage) => boolean, ms: number): void
  /** Forwards everything again. */
  heal(): void
  close(): Promise<void>
}

/**
 * An HTTP proxy in front of a real service that forwards every request unchanged until told to fail
 * some: fault injection, as Istio does it with a VirtualService `fault.abort`, for tests of what a
 * caller does when one of its calls fails half-way through a job.
 */
export async function startFaultProxy(targetUrl: string): Promise<FaultProxy> {
  const target = new URL(targetUrl)
  let fault: { matches: (request: IncomingMessage) => boolean; status: number } | undefined
  let hold: { matches: (request: IncomingMessage) => boolean; ms: number } | undefined
  const server = createServer(async (incoming, outgoing) => {
    if (hold?.matches(incoming)) await new Promise((resolve) => setTimeout(resolve, hold!.ms))
    if (fault?.matches(incoming)) {
      incoming.resume()
      outgoing.writeHead(fault.status, { 'content-type': 'application/problem+json' })
      outgoing.end(
        JSON.stringify({
          type: 'about:blank',
          title: 'Injected fault',
          status: fault.status,
          detail: 'injected by the test',
        }),
      )
      return
    }
    forwardTo(target, incoming, outgoing, (unanswered) => {
      unanswered.writeHead(502)
      unanswered.end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    fail(matches, status = 500) {
      fault = { matches, status }
    },
    delay(matches, ms) {
      hold = { matches, ms }
    },
    heal() {
      fault = undefined
      hold = undefined
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
