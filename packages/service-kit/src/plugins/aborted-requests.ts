import type { FastifyInstance } from 'fastify'
import { Counter, type Registry } from 'prom-client'

/**
 * A request its caller gave up on (a timeout upstream, a closed tab) leaves a log line and a count,
 * so a slow route shows up even when nobody waited for its answer.
 */
export function registerAbortedRequests(app: FastifyInstance, registry: Registry): void {
  const aborted = new Counter({
    name: 'http_requests_aborted_total',
    help: 'HTTP requests whose caller closed the connection before the answer, by route and method',
    labelNames: ['method', 'route'],
    registers: [registry],
  })
  app.addHook('onRequestAbort', async (request) => {
    const route = request.routeOptions.url ?? 'unmatched'
    aborted.inc({ method: request.method, route })
    request.log.warn({ method: request.method, url: request.url, route }, 'request aborted by the caller')
  })
}
