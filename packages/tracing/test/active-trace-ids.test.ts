import { context, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { TracerProvider } from '@opentelemetry/sdk-trace'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { activeTraceIds } from '../src/route.js'

// The ids every log line carries: those of a span this process records, or of a caller's valid
// context it only passes on, never a caller's malformed ones.
describe('the trace ids for log lines', () => {
  const provider = new TracerProvider()
  beforeAll(() => context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable()))
  afterAll(() => {
    context.disable()
    return provider.shutdown()
  })

  it('are those of the recording span in whose context the line is written', () => {
    const span = provider.getTracer('test').startSpan('server')
    const ids = context.with(trace.setSpan(ROOT_CONTEXT, span), activeTraceIds)
    expect(ids).toEqual({ traceId: span.spanContext().traceId, spanId: span.spanContext().spanId })
    expect(ids?.traceId).toMatch(/^[0-9a-f]{32}$/)
    span.end()
  })

  it("are a caller's when its context is valid, and none when it is not, or when there is no span", () => {
    const valid = { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: TraceFlags.NONE }
    const malformed = { traceId: 'not hex, and a line break\n', spanId: 'b'.repeat(16), traceFlags: 0 }
    const within = (spanContext: typeof valid) =>
      context.with(trace.setSpanContext(ROOT_CONTEXT, spanContext), activeTraceIds)
    expect(within(valid)).toEqual({ traceId: valid.traceId, spanId: valid.spanId })
    expect(within(malformed)).toBeUndefined()
    expect(context.with(ROOT_CONTEXT, activeTraceIds)).toBeUndefined()
  })
})
