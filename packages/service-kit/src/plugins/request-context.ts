import type { FastifyInstance, FastifyReply } from 'fastify'
import { recordServerRoute } from '@shop/tracing'

/**
 * Tags every response with the request id and the service version that served it (the UI shows
 * both, so the mesh's routing is visible), and names the trace span after the matched route.
 */
export function registerRequestContext(app: FastifyInstance, servedBy: string): void {
  app.addHook('onRequest', async (request, reply) => {
    setContextHeaders(reply, request.id, servedBy)
    if (request.routeOptions.url) recordServerRoute(request.routeOptions.url)
  })
}

export function setContextHeaders(reply: FastifyReply, requestId: string, servedBy: string): void {
  reply.header('x-request-id', requestId)
  reply.header('x-served-by', servedBy)
}
