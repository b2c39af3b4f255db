import { createServer, type Server } from 'node:http'

/** A span as received over OTLP/HTTP JSON, flattened with the service that sent it. */
export interface CapturedSpan {
  service: string
  serviceVersion: string | undefined
  traceId: string
  spanId: string
  parentSpanId: string | undefined
  name: string
  kind: number
  attributes: Record<string, string | number | boolean | undefined>
  /** The span's events (OpenTelemetry's span logs), by name with their attributes. */
  events: { name: string; attributes: Record<string, string | number | boolean | undefined> }[]
}

export interface OtlpCapture {
  /** Base endpoint to give as OTEL_EXPORTER_OTLP_ENDPOINT. */
  readonly endpoint: string
  readonly spans: CapturedSpan[]
  /** Environment that makes an app export to this capture server quickly, as JSON. */
  readonly env: Record<string, string>
  waitForSpans(matches: (spans: CapturedSpan[]) => boolean, timeoutMs?: number): Promise<CapturedSpan[]>
  close(): Promise<void>
}

interface OtlpValue {
  stringValue?: string
  intValue?: string | number
  boolValue?: boolean
  doubleValue?: number
}
interface OtlpAttribute {
  key: string
  value: OtlpValue
}
interface OtlpSpan {
  traceId: string
  spanId: string
  parentSpanId?: string
  name: string
  kind: number
  attributes?: OtlpAttribute[]
  events?: { name: string; attributes?: OtlpAttribute[] }[]
}
interface OtlpTraces {
  resourceSpans?: { resource?: { attributes?: OtlpAttribute[] }; scopeSpans?: { spans?: OtlpSpan[] }[] }[]
}

/** A minimal OTLP/HTTP trace receiver (JSON encoding) standing in for Jaeger or a collector. */
export async function startOtlpCapture(): Promise<OtlpCapture> {
  const spans: CapturedSpan[] = []
  const server: Server = createServer((request, response) => {
    let body = ''
    request.setEncoding('utf8')
    request.on('data', (chunk) => (body += chunk))
    request.on('end', () => {
      if (request.url === '/v1/traces') spans.push(...flatten(JSON.parse(body) as OtlpTraces))
      response.setHeader('content-type', 'application/json')
      response.end('{}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  const endpoint = `http://127.0.0.1:${port}`
  return {
    endpoint,
    spans,
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    },
    async waitForSpans(matches, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs
      while (!matches(spans)) {
        if (Date.now() > deadline)
          throw new Error(`spans not seen in ${timeoutMs} ms: ${JSON.stringify(spans)}`)
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      return spans
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

function flatten(traces: OtlpTraces): CapturedSpan[] {
  return (traces.resourceSpans ?? []).flatMap((resourceSpans) => {
    const resource = attributesOf(resourceSpans.resource?.attributes)
    return (resourceSpans.scopeSpans ?? []).flatMap((scope) =>
      (scope.spans ?? []).map((span) => ({
        service: String(resource['service.name']),
        serviceVersion: resource['service.version'] as string | undefined,
        traceId: span.traceId,
        spanId: span.spanId,
        parentSpanId: span.parentSpanId || undefined,
        name: span.name,
        kind: span.kind,
        attributes: attributesOf(span.attributes),
        events: (span.events ?? []).map((event) => ({
          name: event.name,
          attributes: attributesOf(event.attributes),
        })),
      })),
    )
  })
}

function attributesOf(attributes: OtlpAttribute[] = []): CapturedSpan['attributes'] {
  return Object.fromEntries(
    attributes.map(({ key, value }) => [
      key,
      value.stringValue ??
        (value.intValue === undefined ? undefined : Number(value.intValue)) ??
        value.boolValue ??
        value.doubleValue,
    ]),
  )
}
