export {
  FORWARDED_HEADERS,
  REQUEST_ID_HEADER,
  ForwardedHeadersPropagator,
  getRequestId,
  isValidRequestId,
} from './forwarded-headers.js'
export { createPropagator } from './propagator.js'
export { activeTraceIds, recordServerRoute } from './route.js'
export { shutdownTracing, startTracing, type TracingOptions } from './sdk.js'
// The OpenTelemetry API of this package's bundle, for code that adds to the active span.
export { trace } from '@opentelemetry/api'
