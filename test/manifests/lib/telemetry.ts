// Telemetry: the providers a Telemetry resource names must be configured in istiod.
import type { ITelemetry } from '@kubernetes-models/istio/telemetry.istio.io/v1/Telemetry'
import { specOf } from './objects.js'
import type { CheckedSet } from './workloads.js'

/** Tracing and access-log providers Istio knows without configuration. */
export const BUILT_IN_PROVIDERS = ['envoy', 'prometheus']

/** Telemetry names providers that exist: the built-in ones and `tracingProviders` (istiod's meshConfig). */
export function checkTelemetry({ objects, problem }: CheckedSet, tracingProviders: string[] = []): void {
  const providers = new Set([...BUILT_IN_PROVIDERS, ...tracingProviders])
  for (const telemetry of objects.filter((o) => o.kind === 'Telemetry')) {
    const { tracing = [], accessLogging = [], metrics = [] } = specOf<ITelemetry>(telemetry)
    for (const entry of [...tracing, ...accessLogging, ...metrics])
      for (const provider of entry.providers ?? [])
        if (!providers.has(provider.name))
          problem(telemetry, `provider ${provider.name} is not configured in istiod`)
  }
}
