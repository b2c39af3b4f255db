// node packages/bench/probes/otlp-encoding.mjs
//
// Nanoseconds per span that the OTLP/protobuf serializer the apps export with takes to write a batch
// of 512 spans shaped like product-catalog's server span (`GET /api/products`, its 11 attributes),
// 20 rounds of 200 batches; the fastest round and the median are printed. It measures
// patches/@opentelemetry+otlp-transformer+0.301.0.patch: run it before and after remaking the patch.
import { createRequire } from 'node:module'

// The OpenTelemetry packages as @shop/tracing resolves them.
const require = createRequire(new URL('../../tracing/package.json', import.meta.url))
const { SpanKind } = require('@opentelemetry/api')
const { ProtobufTraceSerializer } = require('@opentelemetry/otlp-transformer')
const { defaultResource, resourceFromAttributes } = require('@opentelemetry/resources')
const { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } = require('@opentelemetry/sdk-trace')

const SPANS = 512
const BATCHES = 200
const ROUNDS = 20

const recorded = new InMemorySpanExporter()
const provider = new TracerProvider({
  resource: defaultResource().merge(
    resourceFromAttributes({ 'service.name': 'product-catalog', 'service.version': 'v1' }),
  ),
  spanProcessors: [new SimpleSpanProcessor({ exporter: recorded })],
})
const tracer = provider.getTracer('@shop/tracing')
for (let index = 0; index < SPANS; index++) {
  tracer
    .startSpan('GET', { kind: SpanKind.SERVER })
    .setAttributes({
      'url.scheme': 'http',
      'url.path': '/api/products',
      'network.protocol.version': '1.1',
      'network.peer.address': '127.0.0.1',
      'network.peer.port': 40_000 + index,
      'user_agent.original': 'autocannon/8.0.0',
      'server.address': '127.0.0.1',
      'server.port': 3001,
      'http.request.method': 'GET',
    })
    .setAttributes({ 'http.response.status_code': 200, 'http.route': '/api/products' })
    .updateName('GET /api/products')
    .end()
}

const spans = recorded.getFinishedSpans()
const rounds = []
let bytes = 0
for (let round = 0; round < ROUNDS; round++) {
  const started = process.hrtime.bigint()
  for (let batch = 0; batch < BATCHES; batch++) bytes = ProtobufTraceSerializer.serializeRequest(spans).length
  rounds.push(Number(process.hrtime.bigint() - started) / (BATCHES * SPANS))
}
rounds.sort((a, b) => a - b)
process.stdout.write(
  `${SPANS} spans per batch, ${bytes} bytes: fastest round ${rounds[0].toFixed(0)} ns per span, ` +
    `median ${rounds[ROUNDS >> 1].toFixed(0)}\n`,
)
