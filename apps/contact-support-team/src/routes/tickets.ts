import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Ticket, TicketId, TicketList, TicketRequest } from '@shop/contracts'
import { problemResponses, ProblemError, problemType, Type } from '@shop/service-kit'
import { optionalUser, requireUser, type TokenVerifier } from '@shop/service-kit/auth'
import { toTicket, type Tickets } from '../domain/tickets.js'
import { perClientLimit, type LimitSettings } from '../plugins/rate-limit.js'

export interface TicketRoutesOptions {
  tickets: Tickets
  verify: TokenVerifier
  limit: LimitSettings
}

const bearer = [{ bearerAuth: [] }]

export const ticketRoutes: FastifyPluginAsyncTypebox<TicketRoutesOptions> = async (
  app,
  { tickets, verify, limit },
) => {
  app.post(
    '/api/tickets',
    {
      schema: {
        tags: ['tickets'],
        summary: 'Open a support ticket, as a guest or signed in',
        description:
          'With a valid bearer token the ticket belongs to the user and appears in their list; an ' +
          'invalid token is a 401, never a guest. With an Idempotency-Key header, repeating the ' +
          'request answers the first ticket (200) and opens no other. Rate limited per user, or per ' +
          'client address for guests (429 with Retry-After).',
        security: [{}, ...bearer],
        headers: Type.Object({
          'idempotency-key': Type.Optional(
            Type.String({ pattern: '^[A-Za-z0-9_.:-]{8,128}$', description: 'Makes retries safe' }),
          ),
        }),
        body: TicketRequest,
        response: { 200: Ticket, 201: Ticket, ...problemResponses(400, 401, 422, 429, 503) },
      },
      preHandler: optionalUser(verify),
      config: { rateLimit: perClientLimit(limit) },
    },
    async (request, reply) => {
      const { ticket, created } = await tickets.open(
        request.body,
        request.principal?.userId,
        request.headers['idempotency-key'],
      )
      if (created) reply.code(201).header('location', `/api/tickets/${ticket.id}`)
      return toTicket(ticket)
    },
  )

  app.get(
    '/api/tickets',
    {
      schema: {
        tags: ['tickets'],
        summary: "The signed-in user's tickets, newest first",
        security: bearer,
        querystring: Type.Object({
          page: Type.Integer({ minimum: 1, maximum: 10_000, default: 1 }),
          pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
        }),
        response: { 200: TicketList, ...problemResponses(400, 401, 503) },
      },
      preHandler: requireUser(verify),
    },
    async (request) => {
      const { page, pageSize } = request.query
      const { items, total } = await tickets.listOwn(request.principal!.userId, page, pageSize)
      return { items: items.map(toTicket), total }
    },
  )

  app.get(
    '/api/tickets/:id',
    {
      schema: {
        tags: ['tickets'],
        summary: "One of the signed-in user's tickets",
        description: "Another user's ticket answers 404, as one that does not exist.",
        security: bearer,
        params: Type.Object({ id: TicketId }),
        response: { 200: Ticket, ...problemResponses(400, 401, 404, 503) },
      },
      preHandler: requireUser(verify),
    },
    async (request) => {
      const ticket = await tickets.findOwn(request.principal!.userId, request.params.id)
      if (!ticket)
        throw new ProblemError(404, `You have no ticket ${request.params.id}`, {
          title: 'Ticket not found',
          type: problemType('ticket-not-found'),
        })
      return toTicket(ticket)
    },
  )
}
