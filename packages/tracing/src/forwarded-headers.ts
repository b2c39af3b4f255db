import { randomUUID } from 'node:crypto'
import {
  context as contextApi,
  createContextKey,
  type Context,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api'

export const REQUEST_ID_HEADER = 'x-request-id'

/**
 * Headers that Istio asks applications to copy from each incoming request to the requests it causes,
 * beyond the B3 and W3C trace context that the SDK rewrites itself. Envoy joins its access logs and
 * spans on `x-request-id`; the others belong to tracers a mesh may be configured with.
 */
export const FORWARDED_HEADERS = [
  REQUEST_ID_HEADER,
  'x-ot-span-context',
  'x-cloud-trace-context',
  'grpc-trace-bin',
  'sw8',
  'x-datadog-trace-id',
  'x-datadog-parent-id',
  'x-datadog-sampling-priority',
] as const

type ForwardedHeaders = Readonly<Partial<Record<(typeof FORWARDED_HEADERS)[number], string>>>

const FORWARDED_HEADERS_KEY = createContextKey('shop.forwarded-headers')

/**
 * A request id the shop takes from a caller: up to 128 letters, digits and `._:-` (a UUID, Envoy's
 * own, or a B3 id all fit). Anything else would go verbatim into every log line and every hop, so it
 * is replaced by a fresh id instead.
 */
export function isValidRequestId(value: string): boolean {
  return /^[A-Za-z0-9._:-]{1,128}$/.test(value)
}

/**
 * Carries the forwarded headers from an incoming request to every outgoing one made in its context,
 * on `http` and `fetch` alike, so no route handler has to copy headers by hand. A request arriving
 * without a valid `x-request-id` is the edge of the system: it gets a fresh one here.
 */
export class ForwardedHeadersPropagator implements TextMapPropagator {
  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const headers: Record<string, string> = {}
    for (const name of FORWARDED_HEADERS) {
      const value = firstValue(getter.get(carrier, name))
      if (value && (name !== REQUEST_ID_HEADER || isValidRequestId(value))) headers[name] = value
    }
    headers[REQUEST_ID_HEADER] ??= randomUUID()
    // Not frozen (a call into V8's runtime on every request): the object never leaves this module.
    return context.setValue(FORWARDED_HEADERS_KEY, headers)
  }

  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const headers = context.getValue(FORWARDED_HEADERS_KEY) as ForwardedHeaders | undefined
    if (!headers) return
    for (const [name, value] of Object.entries(headers)) setter.set(carrier, name, value)
  }

  fields(): string[] {
    return [...FORWARDED_HEADERS]
  }
}

/** The request id of the request being served, as received or as generated at the edge. */
export function getRequestId(context: Context = contextApi.active()): string | undefined {
  const headers = context.getValue(FORWARDED_HEADERS_KEY) as ForwardedHeaders | undefined
  return headers?.[REQUEST_ID_HEADER]
}

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}
