import type { TextMapPropagator } from '@opentelemetry/api'
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core'
import { B3InjectEncoding, B3Propagator } from '@opentelemetry/propagator-b3'
import { ForwardedHeadersPropagator } from './forwarded-headers.js'

/**
 * W3C trace context and B3 multi-header on the way out; on the way in, W3C, B3 multi-header or
 * single-header `b3`. B3 comes after W3C so that, when both arrive, the B3 context (the one Envoy
 * rewrites at each sidecar) wins.
 */
export function createPropagator(): TextMapPropagator {
  return new CompositePropagator({
    propagators: [
      new W3CTraceContextPropagator(),
      new W3CBaggagePropagator(),
      new B3Propagator({ injectEncoding: B3InjectEncoding.MULTI_HEADER }),
      new ForwardedHeadersPropagator(),
    ],
  })
}
