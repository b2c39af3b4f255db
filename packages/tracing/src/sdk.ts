import { existsSync, readFileSync } from 'node:fs'
import { createRequire, syncBuiltinESMExports } from 'node:module'
import { dirname, join } from 'node:path'
import { context, propagation, trace } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { registerInstrumentations } from '@opentelemetry/instrumentation'
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http'
import {
  defaultResource,
  detectResources,
  envDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources'
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace'
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions'
import { batchOptionsFromEnv, exporterFromEnv, samplerFromEnv } from './from-env.js'
import { traceOutgoingUndiciRequests } from './client-spans.js'
import { PooledIdGenerator } from './ids.js'
import { createPropagator } from './propagator.js'
import { traceIncomingRequests } from './server-spans.js'

let provider: TracerProvider | undefined

export interface TracingOptions {
  serviceName?: string
  serviceVersion?: string
}

/**
 * Starts OpenTelemetry tracing once per process: a tracer provider, server spans for every incoming
 * request, client spans of `http` and undici (`fetch` and `Upstream`), and the shop's propagator. Configured
 * by the standard OTEL_* variables. When no exporter or OTLP endpoint is configured, spans are still made (each hop needs its
 * own span id to propagate) and dropped, and the exporters are not even loaded.
 *
 * This is what NodeSDK would start, minus what the shop never uses: NodeSDK loads every trace, metric
 * and log exporter (grpc, protobuf, JSON, zipkin, prometheus) whether configured or not, and runs the
 * host and process resource detectors, which cost the processes seconds of start and tens of MB.
 */
export function startTracing(options: TracingOptions = {}): void {
  const env = process.env
  if (provider || env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return

  const exporter = exporterFromEnv(env)
  const serviceName = env.OTEL_SERVICE_NAME || options.serviceName || serviceNameOfEntryPoint()
  provider = new TracerProvider({
    resource: defaultResource()
      .merge(detectResources({ detectors: [envDetector] }))
      .merge(
        resourceFromAttributes({
          [ATTR_SERVICE_NAME]: serviceName,
          [ATTR_SERVICE_VERSION]: options.serviceVersion ?? env.SERVICE_VERSION ?? 'v1',
        }),
      ),
    sampler: samplerFromEnv(env),
    idGenerator: new PooledIdGenerator(),
    spanProcessors: exporter ? [new BatchSpanProcessor({ exporter, ...batchOptionsFromEnv(env) })] : [],
  })
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
  propagation.setGlobalPropagator(createPropagator())
  trace.setGlobalTracerProvider(provider)
  registerInstrumentations({
    instrumentations: [
      // Client spans of `http` only: traceIncomingRequests makes the server spans, and
      // traceOutgoingUndiciRequests the client spans of undici, for less CPU per request.
      new HttpInstrumentation({ disableIncomingRequestInstrumentation: true }),
    ],
  })
  patchBuiltinHttpForEsm()
  traceIncomingRequests()
  traceOutgoingUndiciRequests()
}

/**
 * The http instrumentation patches `http` when it is required. An ES module app imports it instead, so
 * require it here to have it patched, then sync the ESM named exports (`import { request } from
 * 'node:http'`) with the patched functions.
 */
function patchBuiltinHttpForEsm(): void {
  const require = createRequire(import.meta.url)
  require('node:http')
  require('node:https')
  syncBuiltinESMExports()
}

/** Flushes pending spans and stops the SDK; safe to call when tracing never started. */
export async function shutdownTracing(): Promise<void> {
  const running = provider
  provider = undefined
  await running?.shutdown()
}

/** `@shop/product-catalog` for a process started as `node dist/server.js` in apps/product-catalog. */
function serviceNameOfEntryPoint(): string {
  const entry = process.argv[1]
  let dir = entry ? dirname(entry) : process.cwd()
  for (;;) {
    const manifest = join(dir, 'package.json')
    if (existsSync(manifest)) {
      const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }
      if (name) return name.replace(/^@[^/]+\//, '')
    }
    const parent = dirname(dir)
    if (parent === dir) return 'unknown_service:node'
    dir = parent
  }
}
