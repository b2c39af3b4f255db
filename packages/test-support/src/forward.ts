import { request, type IncomingMessage, type ServerResponse } from 'node:http'

/**
 * Passes a request on to `target` unchanged (method, path, headers, body) and its answer back; when
 * the target cannot be reached, `unreachable` answers instead (each stand-in says it as its model does).
 */
export function forwardTo(
  target: URL,
  incoming: IncomingMessage,
  outgoing: ServerResponse,
  unreachable: (outgoing: ServerResponse) => void,
): void {
  const upstream = request(
    {
      host: target.hostname,
      port: target.port,
      method: incoming.method,
      path: incoming.url,
      headers: incoming.headers,
    },
    (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(outgoing)
    },
  )
  upstream.on('error', () => unreachable(outgoing))
  incoming.pipe(upstream)
}
