import type { FastifyInstance } from 'fastify'
import { activeTraceIds } from '@shop/tracing'
import { ServiceCalls, type Upstreams } from '../services.js'

/** Which service versions served a BFF response: this BFF first, then every service it called. */
export const SERVED_BY_HEADER = 'x-shop-served-by'
/** The id of the trace this request belongs to (Jaeger finds a trace by it directly). */
export const TRACE_ID_HEADER = 'x-trace-id'
/** Where the trace can be seen, when JAEGER_UI_URL is configured. */
export const TRACE_URL_HEADER = 'x-shop-trace-url'

declare module 'fastify' {
  interface FastifyRequest {
    /** This request's calls to the services. */
    calls: ServiceCalls
    traceId: string | undefined
  }
}

/**
 * Makes the mesh visible to the page: every response names the versions that served it
 * (`x-shop-served-by: ecommerce-ui/v1, product-catalog/v2`), next to its x-request-id, and carries the
 * trace id, with a link to the trace in Jaeger when JAEGER_UI_URL is set.
 *
 * The link uses the trace id, not the request id: Jaeger opens `/trace/<id>` directly, while a search
 * by tag needs a service name and finds the request id only on Envoy's spans (`guid:x-request-id`).
 */
export function registerMesh(
  app: FastifyInstance,
  upstreams: Upstreams,
  jaegerUiUrl: string | undefined,
): void {
  app.decorateRequest('calls', null as unknown as ServiceCalls)
  app.decorateRequest('traceId', undefined)
  const self = `${app.serviceName}/${app.serviceVersion}`

  app.addHook('onRequest', async (request, reply) => {
    request.calls = new ServiceCalls(upstreams, request, reply)
    request.traceId = activeTraceIds()?.traceId
    if (request.traceId) {
      reply.header(TRACE_ID_HEADER, request.traceId)
      if (jaegerUiUrl) reply.header(TRACE_URL_HEADER, `${jaegerUiUrl}/trace/${request.traceId}`)
    }
  })
  app.addHook('onSend', async (request, reply) => {
    reply.header(SERVED_BY_HEADER, [self, ...(request.calls?.servedBy ?? [])].join(', '))
  })
}
