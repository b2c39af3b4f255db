import type { FastifyInstance } from 'fastify'
import { recordServerRoute } from '@shop/tracing'

/**
 * Tags every response with the request id and the service version that served it (the UI shows
 * both, so the mesh's routing is visible), and names the trace span after the matched route.
 */
export function registerRequestContext(app: FastifyInstance, servedBy: string): void {
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id)
    reply.header('x-served-by', servedBy)
    if (request.routeOptions.url) recordServerRoute(request.routeOptions.url)
  })
}
