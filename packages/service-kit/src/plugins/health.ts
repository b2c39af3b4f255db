import type { FastifyInstance } from 'fastify'
import { PROBLEM_CONTENT_TYPE, problemType } from '../problem.js'
import type { Readiness } from '../readiness.js'

/** Liveness says the process runs; readiness says it can serve now (see Readiness). */
export function registerHealth(app: FastifyInstance, readiness: Readiness): void {
  app.get('/healthz', { schema: { hide: true }, logLevel: 'warn' }, async () => ({ status: 'ok' }))

  app.get('/readyz', { schema: { hide: true }, logLevel: 'warn' }, async (request, reply) => {
    const { ready, checks } = await readiness.report()
    if (ready) return { status: 'ready', checks }
    const failing = Object.entries(checks).filter(([name, state]) => name !== 'lifecycle' && state !== 'ok')
    return reply
      .code(503)
      .type(PROBLEM_CONTENT_TYPE)
      .send({
        type: problemType('not-ready'),
        title: 'Not ready',
        status: 503,
        detail: failing.length
          ? failing.map(([, state]) => state).join('; ')
          : `the service is ${checks.lifecycle}`,
        requestId: request.id,
        checks,
      })
  })
}
