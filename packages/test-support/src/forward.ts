import {
  request,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http'

/**
 * Passes a request on to `target` (method, path, end-to-end headers, body) and its answer back; when
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
      headers: endToEnd(incoming.headers),
    },
    (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers))
      answer.pipe(outgoing)
    },
  )
  upstream.on('error', () => unreachable(outgoing))
  incoming.pipe(upstream)
}

/**
 * A message's headers without those of its hop (RFC 9110, 7.6.1), as a proxy passes them on: each
 * side of the proxy is its own connection. Passed on, a service's `keep-alive: timeout=72` told the
 * caller to keep an idle connection to the proxy open longer than the proxy kept it, and a request
 * sent as the proxy closed it failed (undici's UND_ERR_SOCKET, "other side closed").
 */
function endToEnd(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const named = new Set(
    String(headers.connection ?? '')
      .toLowerCase()
      .split(',')
      .map((name) => name.trim()),
  )
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name) && !named.has(name)),
  )
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
])
