import { context, trace } from '@opentelemetry/api'
import { getRPCMetadata, RPCType } from '@opentelemetry/core'

/**
 * Names the current server span after the matched route (`GET /api/products/:id`) and sets
 * `http.route`, as the framework instrumentations do, so traces group by route rather than by URL.
 */
export function recordServerRoute(route: string): void {
  const metadata = getRPCMetadata(context.active())
  if (metadata?.type === RPCType.HTTP) metadata.route = route
}

/** Trace and span ids of the active span, for log lines. */
export function activeTraceIds(): { traceId: string; spanId: string } | undefined {
  const span = trace.getActiveSpan()
  if (!span) return undefined
  const spanContext = span.spanContext()
  // A recording span's ids were made valid by the SDK; checking them again cost 1,700 instructions
  // a request (packages/bench/README.md). A non-recording one may carry anything a caller sent.
  if (!span.isRecording() && !trace.isSpanContextValid(spanContext)) return undefined
  return { traceId: spanContext.traceId, spanId: spanContext.spanId }
}
