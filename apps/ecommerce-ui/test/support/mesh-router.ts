import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import { forwardTo } from '@shop/test-support'

export interface RoutedRequest {
  method: string
  url: string
  headers: IncomingHttpHeaders
  /** The upstream the request went to. */
  target: string
}

/**
 * What the mesh does between the BFF and a service, played by the test: a proxy that picks, per
 * request, which version's instance answers (as a VirtualService would with subsets and header
 * matches), and records what it forwarded so a test can see the headers the BFF sent.
 */
export interface MeshRouter {
  readonly url: string
  readonly requests: RoutedRequest[]
  /** Picks the base URL of the instance that answers a request. */
  route: (request: { method: string; url: string; headers: IncomingHttpHeaders }) => string
  close(): Promise<void>
}

export async function startMeshRouter(route: MeshRouter['route']): Promise<MeshRouter> {
  const requests: RoutedRequest[] = []
  const router: MeshRouter = {
    url: '',
    requests,
    route,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
  const server: Server = createServer((incoming, outgoing) => {
    const method = incoming.method ?? 'GET'
    const url = incoming.url ?? '/'
    const target = router.route({ method, url, headers: incoming.headers })
    requests.push({ method, url, headers: incoming.headers, target })
    forwardTo(new URL(target), incoming, outgoing, (unanswered) => {
      unanswered.writeHead(502, { 'content-type': 'text/plain' })
      unanswered.end(`mesh router: ${target} is unreachable`)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return Object.assign(router, { url: `http://127.0.0.1:${port}` })
}
