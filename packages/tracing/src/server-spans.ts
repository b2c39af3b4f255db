import { AsyncResource } from 'node:async_hooks'
import type { IncomingMessage, ServerResponse } from 'node:http'
import https from 'node:https'
import net from 'node:net'
import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Tracer,
} from '@opentelemetry/api'
import { RPCType, setRPCMetadata, type RPCMetadata } from '@opentelemetry/core'
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_NETWORK_PEER_ADDRESS,
  ATTR_NETWORK_PEER_PORT,
  ATTR_NETWORK_PROTOCOL_VERSION,
  ATTR_URL_PATH,
  ATTR_URL_QUERY,
  ATTR_URL_SCHEME,
  ATTR_USER_AGENT_ORIGINAL,
} from '@opentelemetry/semantic-conventions'
import { addRequestMethod, addServerAddress } from './http-attributes.js'
import { EMPTY_REQUEST_CONTEXT } from './request-context.js'

// Not `import http from 'node:http'`: building http's ES module namespace reads its lazy `WebSocket`,
// `CloseEvent` and `MessageEvent` exports, which loads Node's own undici and web streams: 1.5-2 MiB
// of an idle app (Node 24). The CommonJS module is the same object without that.
const http = process.getBuiltinModule('node:http')

/** Paths that probes and scrapers hit every few seconds: spans for them would bury the real traffic. */
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics'])

/**
 * A server span for every request an `http` or `https` server of this process answers, with the
 * caller's trace context (B3, W3C) and forwarded headers extracted, active while the request is
 * dispatched, named after its route and ended when the response closes.
 *
 * This is the incoming half of `@opentelemetry/instrumentation-http` (which still makes the client
 * spans), written for a cost the shop can carry on every hop: that instrumentation parsed every URL
 * with `new URL` (20 µs per request in the catalog's profiles), computed attributes twice (span and
 * metrics), and re-bound every listener of the request and response to the context (packages/bench/
 * README.md). The attributes are the stable HTTP semantic conventions.
 *
 * The listeners are not re-bound here: what Fastify runs once a body has arrived, even one sent well
 * after the headers, still runs in the request's context (test/tracing/one-hop.test.ts sends a
 * checkout's body 200 ms late).
 */
export function traceIncomingRequests(): void {
  const tracer = trace.getTracer('@shop/tracing')
  patchEmit(http.Server.prototype as unknown as Emitter, 'http', tracer)
  patchEmit(https.Server.prototype as unknown as Emitter, 'https', tracer)
  armServerSocketTimersOutsideRequests()
}

/**
 * After each response Node arms the connection's keep-alive timer, still in the request's context, and
 * a timer keeps the context it was armed in. So each connection held its last request's context, span
 * and attributes until its next request, often long enough, under load, for them to reach the old
 * generation (packages/bench/README.md). A server socket's timers are armed in the root context
 * instead; the timers a request's own code starts keep its context.
 */
function armServerSocketTimersOutsideRequests(): void {
  const prototype = net.Socket.prototype as net.Socket & { server?: unknown }
  const setTimeout = prototype.setTimeout
  // Entering a context copies Node's map of contexts (1.3 µs a request in the catalog's profile,
  // packages/bench/README.md); re-entering the root through an async resource made in it copies nothing.
  const root = context.with(ROOT_CONTEXT, () => new AsyncResource('shop.server-socket-timers'))
  prototype.setTimeout = function (this: net.Socket & { server?: unknown }, ...args) {
    if (this.server === undefined || args[0] === 0) return setTimeout.apply(this, args)
    return root.runInAsyncScope(setTimeout, this, ...args)
  } as typeof setTimeout
}

interface Emitter {
  emit(this: Emitter, event: string | symbol, ...args: unknown[]): boolean
}

function patchEmit(prototype: Emitter, scheme: 'http' | 'https', tracer: Tracer): void {
  const emit = prototype.emit
  prototype.emit = function (this: Emitter, event: string | symbol, ...args: unknown[]): boolean {
    if (event !== 'request') return emit.call(this, event, ...args)
    const request = args[0] as IncomingMessage
    const response = args[1] as ServerResponse
    const url = request.url ?? '/'
    const queryAt = url.indexOf('?')
    const path = queryAt === -1 ? url : url.slice(0, queryAt)
    if (UNTRACED_PATHS.has(path)) return emit.call(this, event, ...args)

    const parent = propagation.extract(EMPTY_REQUEST_CONTEXT, request.headers)
    const attributes: Attributes = {
      [ATTR_URL_SCHEME]: scheme,
      [ATTR_URL_PATH]: path,
      [ATTR_NETWORK_PROTOCOL_VERSION]: request.httpVersion,
      [ATTR_NETWORK_PEER_ADDRESS]: request.socket.remoteAddress,
      [ATTR_NETWORK_PEER_PORT]: request.socket.remotePort,
      [ATTR_USER_AGENT_ORIGINAL]: request.headers['user-agent'],
    }
    if (queryAt !== -1) attributes[ATTR_URL_QUERY] = url.slice(queryAt + 1)
    addServerAddress(attributes, request.headers.host)
    const name = addRequestMethod(attributes, request.method ?? 'GET')

    // Set once the span exists rather than given to startSpan, which checks them twice more for the
    // sampler; none of the samplers the shop can be configured with reads attributes (from-env.ts).
    const span = tracer.startSpan(name, { kind: SpanKind.SERVER }, parent).setAttributes(attributes)
    // The route is filled in by the framework once matched (recordServerRoute); the span is renamed then.
    const metadata: RPCMetadata = { type: RPCType.HTTP, span }
    const requestContext = setRPCMetadata(trace.setSpan(parent, span), metadata)

    response.on('close', () => {
      const status = response.statusCode
      const ending: Attributes = { [ATTR_HTTP_RESPONSE_STATUS_CODE]: status }
      if (metadata.route) {
        ending[ATTR_HTTP_ROUTE] = metadata.route
        span.updateName(`${name} ${metadata.route}`)
      }
      if (status >= 500) {
        ending[ATTR_ERROR_TYPE] = String(status)
        span.setStatus({ code: SpanStatusCode.ERROR })
      } else if (!response.writableFinished) {
        // The caller went away before the answer was sent: an error of this span, not of the server.
        ending[ATTR_ERROR_TYPE] = 'aborted'
        span.setStatus({
          code: SpanStatusCode.ERROR,
          message: 'The connection closed before the response was sent',
        })
      }
      span.setAttributes(ending).end()
    })
    return context.with(requestContext, emit, this, event, ...args)
  }
}
