import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { SupportInfo, Ticket, TicketId, TicketList, TicketRequest } from '@shop/contracts'
import { problemResponses, Type } from '@shop/service-kit'
import { queryString, relayedProblem } from '../services.js'

/** The support desk, as contact-support-team answers it; tickets are the signed-in person's own. */
export const supportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/support/info',
    {
      schema: {
        tags: ['support'],
        summary: 'Support hours, contacts and topics',
        response: { 200: SupportInfo, ...problemResponses(502, 504) },
      },
    },
    async (request) => request.calls.fetch('contact-support-team', '/api/support/info'),
  )

  app.post(
    '/api/tickets',
    {
      schema: {
        tags: ['support'],
        summary: 'Open a support ticket (as the signed-in person when there is one)',
        description: 'Repeating a request with the same Idempotency-Key answers the first ticket (200).',
        headers: Type.Object({
          'idempotency-key': Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.:-]{8,100}$' })),
        }),
        body: TicketRequest,
        response: { 200: Ticket, 201: Ticket, ...problemResponses(400, 401, 403, 422, 429, 502, 504) },
      },
    },
    async (request, reply) => {
      const response = await request.calls.send<Ticket>('contact-support-team', '/api/tickets', {
        method: 'POST',
        body: request.body,
        headers: { 'idempotency-key': request.headers['idempotency-key'] },
        asUser: 'if-signed-in',
      })
      if (response.status >= 400) throw relayedProblem(response)
      return reply.code(response.status === 200 ? 200 : 201).send(response.body)
    },
  )

  app.get(
    '/api/tickets',
    {
      schema: {
        tags: ['support'],
        summary: "The signed-in person's tickets, newest first",
        querystring: Type.Object({
          page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
          pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
        }),
        response: { 200: TicketList, ...problemResponses(400, 401, 502, 504) },
      },
    },
    async (request) =>
      request.calls.fetch('contact-support-team', `/api/tickets${queryString(request.query)}`, {
        asUser: true,
      }),
  )

  app.get(
    '/api/tickets/:id',
    {
      schema: {
        tags: ['support'],
        summary: "One of the signed-in person's tickets",
        // The service's own schema: an id it would refuse is refused here, before any call.
        params: Type.Object({ id: TicketId }),
        response: { 200: Ticket, ...problemResponses(400, 401, 404, 502, 504) },
      },
    },
    async (request) =>
      request.calls.fetch('contact-support-team', `/api/tickets/${request.params.id}`, { asUser: true }),
  )
}
