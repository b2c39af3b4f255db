import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { OrderId, Reservation, ReservationRequest, Shortage } from '@shop/contracts'
import { problemResponses, ProblemError, ProblemSchema, problemType, Type } from '@shop/service-kit'
import { repeatedProduct, type Reservations, type ReserveOutcome } from '../domain/reservations.js'

/** The 409 answers of POST /api/reservations, documented with the member naming what is short. */
const ReservationRefused = Type.Object(
  {
    ...ProblemSchema.properties,
    shortages: Type.Optional(
      Type.Array(Shortage, { description: 'Every product that is short (insufficient-stock only)' }),
    ),
  },
  {
    additionalProperties: true,
    description:
      'Refused: urn:shop:problem:insufficient-stock (nothing was taken), reservation-conflict (the order ' +
      'id was used with other items), reservation-released (the order was released, possibly before this ' +
      'request arrived), reservation-in-progress (another request for this order id is still reserving: ' +
      'retry) or reservation-abandoned (an earlier attempt for this order id never finished)',
  },
)

const OrderParams = Type.Object({ orderId: OrderId })

export const reservationRoutes: FastifyPluginAsyncTypebox<{ reservations: Reservations }> = async (
  app,
  { reservations },
) => {
  app.post(
    '/api/reservations',
    {
      schema: {
        tags: ['reservations'],
        summary: "Reserve an order's items: all of them or none",
        description:
          'Idempotent by order id: repeating the request answers the same reservation (200) and takes ' +
          'nothing more; the same order id with other items is a 409. An order id is decided once: after a ' +
          'refusal or a release it stays refused, so a new attempt needs a new order id. Unknown product ' +
          'ids have no stock.',
        body: ReservationRequest,
        response: {
          201: { ...Reservation, description: 'Reserved now' },
          200: { ...Reservation, description: 'Reserved earlier by the same request' },
          409: ReservationRefused,
          ...problemResponses(400),
        },
      },
    },
    async (request, reply) => {
      const { orderId, items } = request.body
      const repeated = repeatedProduct(items)
      if (repeated)
        throw new ProblemError(
          400,
          `body/items names ${repeated} more than once: give one line per product`,
          {
            title: 'Invalid request',
            type: problemType('invalid-request'),
          },
        )
      const outcome = await reservations.reserve(orderId, items)
      if (outcome.kind === 'reserved')
        return reply.code(outcome.created ? 201 : 200).send(outcome.reservation)
      throw refusal(orderId, outcome)
    },
  )

  app.get(
    '/api/reservations/:orderId',
    {
      schema: {
        tags: ['reservations'],
        summary: "An order's reservation",
        description: 'Reserved or released; 404 when the order holds nothing and never released.',
        params: OrderParams,
        response: { 200: Reservation, ...problemResponses(400, 404) },
      },
    },
    async (request) => {
      const found = await reservations.find(request.params.orderId)
      if (!found)
        throw new ProblemError(404, `No reservation for order ${request.params.orderId}`, {
          title: 'Reservation not found',
          type: problemType('reservation-not-found'),
        })
      return found
    },
  )

  app.delete(
    '/api/reservations/:orderId',
    {
      schema: {
        tags: ['reservations'],
        summary: "Release an order's reservation",
        description:
          'Gives the stock back, once: releasing again answers the same released reservation. Releasing ' +
          'an order id that holds nothing answers a released reservation without items and refuses any ' +
          'reservation for that order id arriving later.',
        params: OrderParams,
        response: { 200: Reservation, ...problemResponses(400) },
      },
    },
    async (request) => reservations.release(request.params.orderId),
  )
}

function refusal(orderId: string, outcome: Exclude<ReserveOutcome, { kind: 'reserved' }>): ProblemError {
  switch (outcome.kind) {
    case 'insufficient-stock': {
      const short = outcome.shortages.map(
        (line) => `${line.productId} (${line.available} of ${line.requested})`,
      )
      return new ProblemError(409, `Not enough stock for ${short.join(', ')}; nothing was reserved`, {
        title: 'Insufficient stock',
        type: problemType('insufficient-stock'),
        extensions: { shortages: outcome.shortages },
      })
    }
    case 'conflict':
      return new ProblemError(409, `Order ${orderId} has a reservation with other items`, {
        title: 'Reservation conflict',
        type: problemType('reservation-conflict'),
      })
    case 'released':
      return new ProblemError(409, `Order ${orderId} was released: it cannot reserve stock any more`, {
        title: 'Reservation released',
        type: problemType('reservation-released'),
      })
    case 'in-progress':
      return new ProblemError(409, `Another request is still reserving for order ${orderId}: retry shortly`, {
        title: 'Reservation in progress',
        type: problemType('reservation-in-progress'),
      })
    case 'abandoned':
      return new ProblemError(
        409,
        `An earlier attempt to reserve for order ${orderId} did not finish and was cancelled`,
        {
          title: 'Reservation abandoned',
          type: problemType('reservation-abandoned'),
        },
      )
  }
}
