import { createServer } from 'node:http'
import { forwardTo } from './forward.js'

export interface WeightedRouter {
  /** Base URL to give the caller instead of a service's. */
  readonly url: string
  /** Requests sent to each destination so far, in the order of the destinations. */
  readonly counts: number[]
  close(): Promise<void>
}

/**
 * What a VirtualService with weighted destinations does, played by the test: each request goes to
 * one of the destinations (base URLs of real processes, v1 and v2 say) at random in proportion to
 * its weight, independently of the others, as Envoy's weighted clusters pick per request.
 */
export async function startWeightedRouter(
  destinations: { url: string; weight: number }[],
): Promise<WeightedRouter> {
  const total = destinations.reduce((sum, destination) => sum + destination.weight, 0)
  const counts = destinations.map(() => 0)
  const pick = () => {
    let ticket = Math.random() * total
    for (const [index, destination] of destinations.entries()) {
      ticket -= destination.weight
      if (ticket < 0) return index
    }
    return destinations.length - 1
  }
  const server = createServer((incoming, outgoing) => {
    const chosen = pick()
    counts[chosen]!++
    // Envoy's own words when no endpoint answers.
    forwardTo(new URL(destinations[chosen]!.url), incoming, outgoing, (unanswered) => {
      unanswered.writeHead(503, { 'content-type': 'text/plain' })
      unanswered.end('no healthy upstream')
    })
  })
  // Longer than the callers' idle keep-alive, so a caller never reuses a connection the router just closed.
  server.keepAliveTimeout = 65_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    counts,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
