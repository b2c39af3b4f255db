import { createRequire } from 'node:module'
import { SpanKind } from '@opentelemetry/api'
import { cleanAttributes } from '@opentelemetry/core'
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace'
import { describe, expect, it } from 'vitest'

// patches/@opentelemetry+core+3.1.0.patch changes how attributes are walked (keys, not entries) and
// their values checked (no WeakSet for a primitive); what the SDK keeps and drops must stay as it was,
// in both builds of the package.
const coreCommonJs = createRequire(import.meta.url)('@opentelemetry/core') as {
  cleanAttributes: typeof cleanAttributes
}

const cyclic: Record<string, unknown> = { name: 'loop' }
cyclic.self = cyclic

const given = {
  'http.request.method': 'GET',
  'http.response.status_code': 200,
  'shop.cached': false,
  'shop.empty': null,
  'shop.tags': ['a', 'b'],
  'shop.nested': { sku: 'SKU-1', sizes: [1, 2] },
  'shop.missing': undefined,
  'shop.cyclic': cyclic,
  'shop.function': () => 1,
}

// Everything but the three values the SDK must drop.
const { 'shop.missing': _missing, 'shop.cyclic': _cyclic, 'shop.function': _function, ...kept } = given

describe('span attributes after the core patch', () => {
  it('keeps primitives, arrays and nested values, and drops undefined, cyclic and function values', () => {
    const limits = { attributeCountLimit: 128, attributeValueLengthLimit: Infinity }
    for (const clean of [cleanAttributes, coreCommonJs.cleanAttributes]) {
      const { attributes, droppedAttributesCount } = clean(given, limits)
      expect(attributes).toEqual(kept)
      expect(droppedAttributesCount).toBe(2)
    }
  })

  it('a span keeps the same attributes, given at start or set later', async () => {
    const exporter = new InMemorySpanExporter()
    const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] })
    const tracer = provider.getTracer('attributes-test')
    tracer.startSpan('at start', { kind: SpanKind.SERVER, attributes: given }).end()
    tracer.startSpan('set later', { kind: SpanKind.SERVER }).setAttributes(given).end()
    await provider.forceFlush()
    const spans = exporter.getFinishedSpans()
    expect(spans.map((span) => span.name)).toEqual(['at start', 'set later'])
    for (const span of spans) expect(span.attributes).toEqual(kept)
    await provider.shutdown()
  })
})
