import { existsSync, readFileSync } from 'node:fs'
import { createRequire, syncBuiltinESMExports } from 'node:module'
import { dirname, join } from 'node:path'
import type { IncomingMessage } from 'node:http'
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http'
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici'
import { resourceFromAttributes } from '@opentelemetry/resources'
import { NodeSDK } from '@opentelemetry/sdk-node'
import { NoopSpanProcessor } from '@opentelemetry/sdk-trace'
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions'
import { createPropagator } from './propagator.js'

/** Paths that probes and scrapers hit every few seconds: spans for them would bury the real traffic. */
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics'])

let sdk: NodeSDK | undefined

export interface TracingOptions {
  serviceName?: string
  serviceVersion?: string
}

/**
 * Starts the OpenTelemetry SDK once per process. Configured by the standard OTEL_* variables; when no
 * OTLP endpoint or exporter is configured, nothing is exported (and nothing waits on a collector at
 * shutdown), while trace context and the forwarded headers still flow on every hop.
 */
export function startTracing(options: TracingOptions = {}): void {
  const env = process.env
  if (sdk || env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return

  // The SDK's defaults would export traces, metrics and logs to localhost:4318 whether or not a collector
  // listens there. Metrics come from /metrics and logs go to stdout, so those default to none. Traces are
  // exported only when the environment says where; otherwise spans are still made (each hop needs its
  // own span id to propagate) and dropped.
  const exportConfigured = Boolean(
    env.OTEL_TRACES_EXPORTER || env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT,
  )
  env.OTEL_METRICS_EXPORTER ??= 'none'
  env.OTEL_LOGS_EXPORTER ??= 'none'

  const serviceName = env.OTEL_SERVICE_NAME || options.serviceName || serviceNameOfEntryPoint()
  sdk = new NodeSDK({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: serviceName,
      [ATTR_SERVICE_VERSION]: options.serviceVersion ?? env.SERVICE_VERSION ?? 'v1',
    }),
    textMapPropagator: createPropagator(),
    ...(exportConfigured ? {} : { spanProcessors: [new NoopSpanProcessor()] }),
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request: IncomingMessage) => UNTRACED_PATHS.has(pathOf(request.url)),
      }),
      new UndiciInstrumentation(),
    ],
  })
  sdk.start()
  patchBuiltinHttpForEsm()
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
  const running = sdk
  sdk = undefined
  await running?.shutdown()
}

function pathOf(url = '/'): string {
  const query = url.indexOf('?')
  return query === -1 ? url : url.slice(0, query)
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
