import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Order, OrderId, OrderList, PlaceOrderRequest } from '@shop/contracts'
import { headerValue, ProblemError, problemResponses, problemType, Type } from '@shop/service-kit'
import { queryString, relayedProblem } from '../services.js'

const PageQuery = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
})
const REPLAYED = 'idempotent-replayed'
const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.String({
    pattern: '^[A-Za-z0-9_.:-]{8,100}$',
    description: 'One per checkout attempt, the same on every retry of it: the order is placed at most once',
  }),
})

/**
 * The signed-in person's orders, through order-management. Nothing here takes a price, a total or a
 * user id from the browser: the body is a shipping method and an address, the person is the session's
 * token, and order-management prices the order itself.
 */
export const orderRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const asUser = true

  app.post(
    '/api/orders',
    {
      schema: {
        tags: ['orders'],
        summary: 'Place the order of the cart',
        description:
          'Repeating a request with the same Idempotency-Key answers the same order and places nothing more. ' +
          'When order-management fails, the answer is a 502 problem and the cart is unchanged.',
        headers: IdempotencyHeaders,
        body: PlaceOrderRequest,
        response: {
          200: {
            ...Order,
            description: 'An order placed by an earlier request with this key (idempotent-replayed: true)',
          },
          201: { ...Order, description: 'The order, placed now' },
          ...problemResponses(400, 401, 403, 409, 422, 502, 504),
        },
      },
    },
    async (request, reply) => {
      const { shippingMethod, address } = request.body
      try {
        const response = await request.calls.send<Order>('order-management', '/api/orders', {
          method: 'POST',
          body: { shippingMethod, address },
          headers: { 'idempotency-key': request.headers['idempotency-key'] },
          asUser,
        })
        if (response.status >= 400) throw relayedProblem(response)
        // order-management answers 201 both times and marks a replay with `idempotent-replayed`; the page
        // gets 201 for an order placed now, 200 (and the same mark) for one placed by an earlier attempt.
        if (headerValue(response.headers, REPLAYED) !== 'true') return reply.code(201).send(response.body)
        return reply.code(200).header(REPLAYED, 'true').send(response.body)
      } catch (error) {
        throw orderNotPlaced(error)
      }
    },
  )

  app.get(
    '/api/orders',
    {
      schema: {
        tags: ['orders'],
        summary: "The signed-in person's orders, newest first",
        querystring: PageQuery,
        response: { 200: OrderList, ...problemResponses(400, 401, 502, 504) },
      },
    },
    async (request) =>
      request.calls.fetch('order-management', `/api/orders${queryString(request.query)}`, { asUser }),
  )

  app.get(
    '/api/orders/:id',
    {
      schema: {
        tags: ['orders'],
        summary: "One of the signed-in person's orders",
        params: Type.Object({ id: OrderId }),
        response: { 200: Order, ...problemResponses(400, 401, 404, 502, 504) },
      },
    },
    async (request) =>
      request.calls.fetch('order-management', `/api/orders/${request.params.id}`, { asUser }),
  )
}

/**
 * A failure of order-management (a 5xx, no answer, a timeout) is told to the person as what it means
 * to them. The cart is only emptied by a placed order, and the page retries with the same key, so
 * trying again can never order twice.
 */
function orderNotPlaced(error: unknown): unknown {
  if (!(error instanceof ProblemError) || error.status < 500) return error
  const timedOut = error.status === 504
  return new ProblemError(
    error.status,
    timedOut
      ? 'The shop did not answer in time, so the order may or may not be placed. Try again: it will not be placed twice.'
      : 'Your cart is unchanged; please try again in a moment. Trying again will not order twice.',
    {
      title: timedOut ? 'We could not confirm your order' : 'We could not place your order',
      type: problemType('order-not-placed'),
      extensions: { ...error.extensions, reason: error.message },
      cause: error,
    },
  )
}
