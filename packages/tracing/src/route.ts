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
  const spanContext = trace.getActiveSpan()?.spanContext()
  if (!spanContext || !trace.isSpanContextValid(spanContext)) return undefined
  return { traceId: spanContext.traceId, spanId: spanContext.spanId }
}
