import type { Attributes } from '@opentelemetry/api'
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_REQUEST_METHOD_ORIGINAL,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
} from '@opentelemetry/semantic-conventions'

/** The HTTP methods the semantic conventions name; any other is `_OTHER` in a span's attributes. */
const KNOWN_METHODS: ReadonlySet<string> = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'PATCH',
  'OPTIONS',
  'CONNECT',
  'TRACE',
])

/**
 * `http.request.method` of a request, `_OTHER` (and `http.request.method_original`) for a method the
 * conventions do not name; answers the span's name: the method, or `HTTP` for any other.
 */
export function addRequestMethod(attributes: Attributes, method: string): string {
  if (KNOWN_METHODS.has(method)) {
    attributes[ATTR_HTTP_REQUEST_METHOD] = method
    return method
  }
  attributes[ATTR_HTTP_REQUEST_METHOD] = '_OTHER'
  attributes[ATTR_HTTP_REQUEST_METHOD_ORIGINAL] = method
  return 'HTTP'
}

/**
 * `server.address` and `server.port` from a Host header or a URL's host (`name`, `name:port`,
 * `[v6]`, `[v6]:port`); `defaultPort` when it names none.
 */
export function addServerAddress(
  attributes: Attributes,
  host: string | undefined,
  defaultPort?: number,
): void {
  if (!host) return
  // Only an IPv6 address has colons of its own, inside its brackets. Searched forwards: V8 runs
  // `lastIndexOf` through a call into C++ that cost as much as the rest of this function.
  const bracketEnd = host.startsWith('[') ? host.indexOf(']') : -1
  const portAt = host.indexOf(':', bracketEnd + 1)
  const nameEnd = portAt === -1 ? host.length : portAt
  attributes[ATTR_SERVER_ADDRESS] = bracketEnd === -1 ? host.slice(0, nameEnd) : host.slice(1, bracketEnd)
  if (portAt === -1) {
    if (defaultPort !== undefined) attributes[ATTR_SERVER_PORT] = defaultPort
    return
  }
  const port = Number(host.slice(portAt + 1))
  if (Number.isInteger(port)) attributes[ATTR_SERVER_PORT] = port
}
