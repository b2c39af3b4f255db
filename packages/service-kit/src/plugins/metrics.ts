import type { FastifyInstance } from 'fastify'
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client'

const UNMEASURED_ROUTES = new Set(['/metrics', '/healthz', '/readyz'])

/**
 * Prometheus metrics on /metrics: request count and duration by route, method and status, the
 * process metrics, and whatever the service registers on `app.metrics`.
 */
export function registerMetrics(
  app: FastifyInstance,
  labels: { service: string; version: string },
): Registry {
  const registry = new Registry()
  registry.setDefaultLabels(labels)
  collectDefaultMetrics({ register: registry })

  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests served, by route, method and status code',
    labelNames: ['method', 'route', 'status_code'],
    registers: [registry],
  })
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to serve an HTTP request, by route, method and status code',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  })

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url
    if (route && UNMEASURED_ROUTES.has(route)) return
    // Unmatched URLs share one label value, so random paths cannot blow up the series count.
    const labels = {
      method: request.method,
      route: route ?? 'unmatched',
      status_code: String(reply.statusCode),
    }
    requests.inc(labels)
    duration.observe(labels, reply.elapsedTime / 1000)
  })

  app.get('/metrics', { schema: { hide: true }, logLevel: 'warn' }, async (_request, reply) =>
    reply.type(registry.contentType).send(await registry.metrics()),
  )
  return registry
}
