import { subscribe } from 'node:diagnostics_channel'
import type { Socket } from 'node:net'
import {
  context,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Span,
  type TextMapSetter,
  type Tracer,
} from '@opentelemetry/api'
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_NETWORK_PEER_ADDRESS,
  ATTR_NETWORK_PEER_PORT,
  ATTR_NETWORK_PROTOCOL_VERSION,
  ATTR_URL_FULL,
  ATTR_URL_PATH,
  ATTR_URL_QUERY,
  ATTR_URL_SCHEME,
  ATTR_USER_AGENT_ORIGINAL,
} from '@opentelemetry/semantic-conventions'
import { addRequestMethod, addServerAddress } from './http-attributes.js'

/** What undici publishes of a request on its diagnostics channels (undici's docs/api/DiagnosticsChannel.md). */
interface UndiciRequest {
  origin: string | URL
  method: string
  path: string
  /** `[name, value, ...]`: undici 7 (Node's own, behind `fetch`) and 8 (`Upstream`) alike. */
  headers: string[]
  addHeader(name: string, value: string): unknown
  [SPAN]?: Span
}

const SPAN = Symbol('shop.client-span')

const DEFAULT_PORTS: Readonly<Record<string, number>> = { http: 80, https: 443 }

const ADD_HEADER: TextMapSetter<UndiciRequest> = {
  set: (request, name, value) => void request.addHeader(name, value),
}

/**
 * A client span for every request made with undici, the `Pool`s of `Upstream` and `fetch` alike,
 * from the diagnostics channels undici publishes: started when the request is created, in the
 * context of the code making it, with the trace context and forwarded headers added to the request,
 * and ended with the response's trailers or the request's error. The attributes are the stable HTTP
 * semantic conventions.
 *
 * This is what `@opentelemetry/instrumentation-undici` does, at a cost the BFF can carry on every
 * call: that instrumentation parsed each request's URL with `new URL` and its headers into a `Map`,
 * and recorded a duration metric nobody reads (packages/bench/README.md).
 */
export function traceOutgoingUndiciRequests(tracer: Tracer = trace.getTracer('@shop/tracing')): void {
  subscribe('undici:request:create', (message) => {
    const { request } = message as { request: UndiciRequest }
    if (request.method === 'CONNECT') return
    const parent = context.active()
    const attributes = requestAttributes(request)
    const name = addRequestMethod(attributes, request.method)
    const span = tracer.startSpan(name, { kind: SpanKind.CLIENT }, parent).setAttributes(attributes)
    request[SPAN] = span
    propagation.inject(trace.setSpan(parent, span), request, ADD_HEADER)
  })

  subscribe('undici:client:sendHeaders', (message) => {
    const { request, socket } = message as {
      request: UndiciRequest
      socket: Socket & { alpnProtocol?: string }
    }
    request[SPAN]?.setAttributes({
      [ATTR_NETWORK_PEER_ADDRESS]: socket.remoteAddress,
      [ATTR_NETWORK_PEER_PORT]: socket.remotePort,
      [ATTR_NETWORK_PROTOCOL_VERSION]: socket.alpnProtocol === 'h2' ? '2' : '1.1',
    })
  })

  subscribe('undici:request:headers', (message) => {
    const { request, response } = message as { request: UndiciRequest; response: { statusCode: number } }
    const span = request[SPAN]
    if (!span) return
    const status = response.statusCode
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status)
    if (status >= 400)
      span.setAttribute(ATTR_ERROR_TYPE, String(status)).setStatus({ code: SpanStatusCode.ERROR })
  })

  subscribe('undici:request:trailers', (message) => {
    const { request } = message as { request: UndiciRequest }
    request[SPAN]?.end()
    request[SPAN] = undefined
  })

  subscribe('undici:request:error', (message) => {
    const { request, error } = message as { request: UndiciRequest; error: Error & { code?: string } }
    const span = request[SPAN]
    if (!span) return
    request[SPAN] = undefined
    // A call its caller abandoned is not an error of the call (as instrumentation-undici decides).
    if (error.name !== 'AbortError') {
      span.recordException(error)
      span
        .setAttribute(ATTR_ERROR_TYPE, error.code ?? error.name)
        .setStatus({ code: SpanStatusCode.ERROR, message: error.message })
    }
    span.end()
  })
}

function requestAttributes(request: UndiciRequest): Attributes {
  const origin = typeof request.origin === 'string' ? request.origin : request.origin.origin
  const schemeEnd = origin.indexOf('://')
  const scheme = origin.slice(0, schemeEnd)
  const queryAt = request.path.indexOf('?')
  const attributes: Attributes = {
    [ATTR_URL_FULL]: origin + request.path,
    [ATTR_URL_SCHEME]: scheme,
    [ATTR_URL_PATH]: queryAt === -1 ? request.path : request.path.slice(0, queryAt),
  }
  if (queryAt !== -1) attributes[ATTR_URL_QUERY] = request.path.slice(queryAt + 1)
  addServerAddress(attributes, origin.slice(schemeEnd + 3), DEFAULT_PORTS[scheme])
  const userAgent = userAgentOf(request.headers)
  if (userAgent !== undefined) attributes[ATTR_USER_AGENT_ORIGINAL] = userAgent
  return attributes
}

/** The request's User-Agent, from undici's flat `[name, value, ...]` header array. */
function userAgentOf(headers: string[]): string | undefined {
  for (let i = 0; i < headers.length; i += 2) {
    if (headers[i]!.length === 10 && headers[i]!.toLowerCase() === 'user-agent') return headers[i + 1]
  }
  return undefined
}
