import { createRequire } from 'node:module'
import type * as OtlpHttpJson from '@opentelemetry/exporter-trace-otlp-http'
import type * as OtlpHttpProtobuf from '@opentelemetry/exporter-trace-otlp-proto'
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ConsoleSpanExporter,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type BatchSpanProcessorOptions,
  type Sampler,
  type SpanExporter,
} from '@opentelemetry/sdk-trace'

type Env = Readonly<Record<string, string | undefined>>

// The OTLP exporters are loaded only when spans are exported: they weigh more than the rest of the
// SDK, and most processes (tests, a laptop without Jaeger) never send a span.
const require = createRequire(import.meta.url)

/**
 * The span exporter OTEL_TRACES_EXPORTER and OTEL_EXPORTER_OTLP_* ask for, as the SDK's environment
 * specification reads them: `otlp` (the default once an endpoint is set) over http/protobuf or
 * http/json, `console`, or `none`. Undefined when nothing is to be exported.
 */
export function exporterFromEnv(env: Env): SpanExporter | undefined {
  const names = listOf(env.OTEL_TRACES_EXPORTER)
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT
  const name = names[0] ?? (endpoint ? 'otlp' : 'none')
  if (names.length > 1)
    throw new Error(`OTEL_TRACES_EXPORTER: one exporter at most, got "${names.join(',')}"`)
  switch (name) {
    case 'none':
      return undefined
    case 'console':
      return new ConsoleSpanExporter()
    case 'otlp':
      return otlpExporter(env)
    default:
      throw new Error(`OTEL_TRACES_EXPORTER: "${name}" is not supported; use otlp, console or none`)
  }
}

function otlpExporter(env: Env): SpanExporter {
  const protocol =
    env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL || env.OTEL_EXPORTER_OTLP_PROTOCOL || 'http/protobuf'
  switch (protocol) {
    case 'http/protobuf': {
      const { OTLPTraceExporter } =
        require('@opentelemetry/exporter-trace-otlp-proto') as typeof OtlpHttpProtobuf
      return new OTLPTraceExporter()
    }
    case 'http/json': {
      const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof OtlpHttpJson
      return new OTLPTraceExporter()
    }
    default:
      throw new Error(
        `OTEL_EXPORTER_OTLP_PROTOCOL: "${protocol}" is not supported; use http/protobuf or http/json`,
      )
  }
}

/** OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG; undefined keeps the SDK's parentbased_always_on. */
export function samplerFromEnv(env: Env): Sampler | undefined {
  const name = env.OTEL_TRACES_SAMPLER?.trim()
  if (!name) return undefined
  const ratio = () => {
    const value = Number(env.OTEL_TRACES_SAMPLER_ARG ?? '1')
    if (!(value >= 0 && value <= 1)) throw new Error('OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1')
    return value
  }
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler()
    case 'always_off':
      return new AlwaysOffSampler()
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio())
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() })
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() })
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio()) })
    default:
      throw new Error(`OTEL_TRACES_SAMPLER: "${name}" is not a sampler the SDK knows`)
  }
}

/** The batch span processor's OTEL_BSP_* settings. */
export function batchOptionsFromEnv(env: Env): Omit<BatchSpanProcessorOptions, 'exporter'> {
  const number = (name: string) => {
    const value = env[name]?.trim()
    return value ? Number(value) : undefined
  }
  return {
    scheduledDelayMillis: number('OTEL_BSP_SCHEDULE_DELAY'),
    maxQueueSize: number('OTEL_BSP_MAX_QUEUE_SIZE'),
    maxExportBatchSize: number('OTEL_BSP_MAX_EXPORT_BATCH_SIZE'),
    exportTimeoutMillis: number('OTEL_BSP_EXPORT_TIMEOUT'),
  }
}

function listOf(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item && item !== 'null')
}
