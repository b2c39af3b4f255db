import { createServer, type Server } from 'node:http'
import { createRequire } from 'node:module'
import { ROOT_CONTEXT, SpanStatusCode, trace, type AttributeValue, type SpanKind } from '@opentelemetry/api'
import { ExportResultCode } from '@opentelemetry/core'
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto'
import type * as OtlpTransformer from '@opentelemetry/otlp-transformer'
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer'
import { resourceFromAttributes } from '@opentelemetry/resources'
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace'
import protobuf from 'protobufjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// patches/@opentelemetry+otlp-transformer+0.301.0.patch writes spans in one pass, ids without an array
// first and short ASCII strings while checking them. What a collector reads must stay what the SDK
// recorded: the bytes the exporter sends are decoded here by protobufjs against the OTLP schema, typed
// from opentelemetry-proto (v1: collector/trace/v1, trace/v1, common/v1, resource/v1). Vitest loads the
// ES module build of the package; the apps' exporter (from-env.ts) requires the CommonJS one, so the
// second test holds the two builds to the same bytes.
const OTLP_TRACE_SCHEMA = `
syntax = "proto3";
message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
message ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; string schema_url = 3; }
message Resource { repeated KeyValue attributes = 1; uint32 dropped_attributes_count = 2; }
message ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; string schema_url = 3; }
message InstrumentationScope { string name = 1; string version = 2; repeated KeyValue attributes = 3; }
message Span {
  bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; bytes parent_span_id = 4;
  string name = 5; int32 kind = 6; fixed64 start_time_unix_nano = 7; fixed64 end_time_unix_nano = 8;
  repeated KeyValue attributes = 9; repeated Event events = 11; repeated Link links = 13;
  Status status = 15; fixed32 flags = 16;
  message Event { fixed64 time_unix_nano = 1; string name = 2; repeated KeyValue attributes = 3; }
  message Link { bytes trace_id = 1; bytes span_id = 2; repeated KeyValue attributes = 4; fixed32 flags = 6; }
}
message Status { string message = 2; int32 code = 3; }
message KeyValue { string key = 1; AnyValue value = 2; }
message AnyValue {
  oneof value {
    string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4;
    ArrayValue array_value = 5; bytes bytes_value = 7;
  }
}
message ArrayValue { repeated AnyValue values = 1; }
`
const ExportTraceServiceRequest = protobuf
  .parse(OTLP_TRACE_SCHEMA, { keepCase: true })
  .root.lookupType('ExportTraceServiceRequest')

interface DecodedValue {
  string_value?: string
  bool_value?: boolean
  int_value?: string
  double_value?: number
  array_value?: { values?: DecodedValue[] }
}
interface DecodedKeyValue {
  key: string
  value: DecodedValue
}
interface DecodedSpan {
  trace_id: string
  span_id: string
  parent_span_id?: string
  name: string
  kind: number
  start_time_unix_nano: string
  end_time_unix_nano: string
  attributes?: DecodedKeyValue[]
  events?: { time_unix_nano: string; name: string; attributes?: DecodedKeyValue[] }[]
  links?: { trace_id: string; span_id: string; attributes?: DecodedKeyValue[] }[]
  status: { message?: string; code?: number }
  flags: number
}
interface DecodedRequest {
  resource_spans: {
    resource: { attributes: DecodedKeyValue[] }
    scope_spans: { scope: { name: string; version?: string }; spans: DecodedSpan[] }[]
  }[]
}

/**
 * Every way the writer takes a string (empty, ASCII with a length of one byte or two, UTF-8 of two to
 * four bytes), and numbers, booleans and arrays.
 */
const VALUES: AttributeValue[] = [
  '',
  'GET',
  '/api/products?category=shoes&page=2',
  'a'.repeat(127),
  'a'.repeat(128),
  'b'.repeat(20_000),
  'café',
  'Zürich'.repeat(30),
  '日本語',
  'emoji 😀 at the end',
  0,
  -5,
  2 ** 40,
  2.5,
  true,
  false,
  ['x', 'ü'],
  [1, 2, 3],
]

function recordSpans(): ReadableSpan[] {
  const recorded = new InMemorySpanExporter()
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'prüf-catalog', 'service.version': 'v2' }),
    spanProcessors: [new SimpleSpanProcessor({ exporter: recorded })],
  })
  const tracer = provider.getTracer('@shop/tracing', '1.0.0')
  for (const [index, value] of VALUES.entries()) {
    const parent = tracer.startSpan('parent')
    const span = tracer.startSpan(
      typeof value === 'string' ? `span ${value}` : `span ${index}`,
      {
        kind: (index % 5) as SpanKind,
        links: [{ context: parent.spanContext(), attributes: { link: value } }],
      },
      trace.setSpan(ROOT_CONTEXT, parent),
    )
    span.setAttributes({ 'shop.value': value, ключ: index, 'http.request.method': 'GET' })
    span.addEvent('shop.event', { 'shop.value': value })
    span.setStatus({ code: SpanStatusCode.ERROR, message: typeof value === 'string' ? value : 'failed' })
    span.end()
    parent.end()
  }
  return recorded.getFinishedSpans()
}

function decoded(value: DecodedValue): AttributeValue {
  if (value.string_value !== undefined) return value.string_value
  if (value.bool_value !== undefined) return value.bool_value
  if (value.int_value !== undefined) return Number(value.int_value)
  if (value.double_value !== undefined) return value.double_value
  return (value.array_value?.values ?? []).map(decoded) as AttributeValue
}

function attributesOf(keyValues: DecodedKeyValue[] = []): Record<string, AttributeValue> {
  return Object.fromEntries(keyValues.map(({ key, value }) => [key, decoded(value)]))
}

/** protobufjs gives bytes as base64; OpenTelemetry keeps ids as hex. */
const hex = (base64: string | undefined) =>
  base64 === undefined ? undefined : Buffer.from(base64, 'base64').toString('hex')

const nanos = ([seconds, nanoseconds]: [number, number]) =>
  (BigInt(seconds) * 1_000_000_000n + BigInt(nanoseconds)).toString()

describe('spans exported over OTLP/protobuf', () => {
  let server: Server
  let endpoint: string
  const bodies: Buffer[] = []

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = []
      request.on('data', (chunk: Buffer) => chunks.push(chunk))
      request.on('end', () => {
        bodies.push(Buffer.concat(chunks))
        response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end()
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  })
  afterAll(() => new Promise((resolve) => server.close(resolve)))

  it('decode to the ids, names, times, kinds, attributes, events, links and status recorded', async () => {
    const spans = recordSpans()
    // The exporter from-env.ts makes for http/protobuf, the shop's default.
    const exporter = new OTLPTraceExporter({ url: `${endpoint}/v1/traces` })
    const result = await new Promise<{ code: ExportResultCode }>((resolve) => exporter.export(spans, resolve))
    await exporter.shutdown()
    expect(result.code).toBe(ExportResultCode.SUCCESS)

    expect(bodies).toHaveLength(1)
    const request = ExportTraceServiceRequest.toObject(ExportTraceServiceRequest.decode(bodies[0]!), {
      longs: String,
      bytes: String,
    }) as DecodedRequest
    const [resourceSpans] = request.resource_spans
    expect(attributesOf(resourceSpans!.resource.attributes)).toMatchObject({
      'service.name': 'prüf-catalog',
      'service.version': 'v2',
    })
    const [scopeSpans] = resourceSpans!.scope_spans
    expect(scopeSpans!.scope).toMatchObject({ name: '@shop/tracing', version: '1.0.0' })
    const received = scopeSpans!.spans
    expect(received).toHaveLength(spans.length)

    for (const [index, span] of spans.entries()) {
      const got = received[index]!
      const context = span.spanContext()
      expect(hex(got.trace_id)).toBe(context.traceId)
      expect(hex(got.span_id)).toBe(context.spanId)
      expect(hex(got.parent_span_id)).toBe(span.parentSpanContext?.spanId)
      expect(got.name).toBe(span.name)
      expect(got.kind).toBe(span.kind + 1)
      expect(got.start_time_unix_nano).toBe(nanos(span.startTime))
      expect(got.end_time_unix_nano).toBe(nanos(span.endTime))
      expect(attributesOf(got.attributes)).toEqual(span.attributes)
      expect(got.events ?? []).toHaveLength(span.events.length)
      for (const [at, event] of span.events.entries()) {
        expect(got.events![at]!.name).toBe(event.name)
        expect(got.events![at]!.time_unix_nano).toBe(nanos(event.time))
        expect(attributesOf(got.events![at]!.attributes)).toEqual(event.attributes)
      }
      expect(got.links ?? []).toHaveLength(span.links.length)
      for (const [at, link] of span.links.entries()) {
        expect(hex(got.links![at]!.trace_id)).toBe(link.context.traceId)
        expect(hex(got.links![at]!.span_id)).toBe(link.context.spanId)
        expect(attributesOf(got.links![at]!.attributes)).toEqual(link.attributes)
      }
      // proto3 leaves an empty message out
      expect({ code: 0, message: '', ...got.status }).toEqual({ message: '', ...span.status })
      expect(got.flags & 0xff).toBe(context.traceFlags)
    }
  })

  it('are written alike by the ES module build of the serializer and the CommonJS one the exporter loads', () => {
    const spans = recordSpans()
    const commonJs = createRequire(import.meta.url)(
      '@opentelemetry/otlp-transformer',
    ) as typeof OtlpTransformer
    const written = Buffer.from(commonJs.ProtobufTraceSerializer.serializeRequest(spans)!)
    expect(Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!).equals(written)).toBe(true)
  })
})
