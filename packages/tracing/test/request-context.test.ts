import { context, createContextKey, ROOT_CONTEXT, trace } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EMPTY_REQUEST_CONTEXT } from '../src/request-context.js'

const first = createContextKey('first')
const second = createContextKey('second')

// A request's context must answer exactly as the API's own context would, for every sequence of
// sets and deletes, and leave the contexts it was made from as they were.
describe('a request context', () => {
  it('answers every value set on it, the latest for a key set twice', () => {
    const ours = EMPTY_REQUEST_CONTEXT.setValue(first, 1).setValue(second, 'two').setValue(first, 3)
    const api = ROOT_CONTEXT.setValue(first, 1).setValue(second, 'two').setValue(first, 3)
    for (const key of [first, second]) expect(ours.getValue(key)).toBe(api.getValue(key))
    expect(ours.getValue(first)).toBe(3)
    expect(ours.getValue(createContextKey('never set'))).toBeUndefined()
  })

  it('answers nothing for a deleted key, and leaves the context it came from unchanged', () => {
    const parent = EMPTY_REQUEST_CONTEXT.setValue(first, 1).setValue(second, 2)
    const child = parent.deleteValue(first).setValue(second, 'changed')
    expect(child.getValue(first)).toBeUndefined()
    expect(child.getValue(second)).toBe('changed')
    expect(parent.getValue(first)).toBe(1)
    expect(parent.getValue(second)).toBe(2)
    expect(EMPTY_REQUEST_CONTEXT.getValue(first)).toBeUndefined()
    expect(child.deleteValue(first).setValue(first, 'again').getValue(first)).toBe('again')
  })

  describe('as the parent of spans', () => {
    const exporter = new InMemorySpanExporter()
    const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] })
    const contextManager = new AsyncLocalStorageContextManager().enable()
    beforeAll(() => context.setGlobalContextManager(contextManager))
    afterAll(() => {
      context.disable()
      return provider.shutdown()
    })

    it('carries the active span into what runs in it, asynchronous work included', async () => {
      const tracer = provider.getTracer('test')
      const server = tracer.startSpan('server', {}, EMPTY_REQUEST_CONTEXT)
      const requestContext = trace.setSpan(EMPTY_REQUEST_CONTEXT.setValue(first, 'kept'), server)
      await context.with(requestContext, async () => {
        await new Promise((resolve) => setTimeout(resolve, 5))
        expect(context.active().getValue(first)).toBe('kept')
        tracer.startSpan('child').end()
      })
      server.end()
      const [child, parent] = exporter.getFinishedSpans()
      expect(parent!.name).toBe('server')
      expect(child!.parentSpanContext?.spanId).toBe(server.spanContext().spanId)
      expect(child!.spanContext().traceId).toBe(server.spanContext().traceId)
    })
  })
})
