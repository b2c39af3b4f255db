import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { OrderId, Shipment, ShipmentCancellation, SHIPMENT_STATUSES, ShipmentRequest } from '@shop/contracts'
import { problemResponses, ProblemError, problemType, Type } from '@shop/service-kit'
import type { Shipments } from '../domain/shipments.js'
import { normalizeTrackingNumber } from '../domain/tracking.js'
import { FeeItem } from './schemas.js'

/** The shared shipment shape, plus how its fee adds up and the milestones reached so far. */
const ShipmentWithEvents = Type.Object({
  ...Shipment.properties,
  breakdown: Type.Array(FeeItem),
  events: Type.Array(
    Type.Object({ status: Type.Enum(SHIPMENT_STATUSES), at: Type.String({ format: 'date-time' }) }),
    { description: 'Statuses reached so far, oldest first; the last one is `status`' },
  ),
})

export const shipmentRoutes: FastifyPluginAsyncTypebox<{ shipments: Shipments }> = async (
  app,
  { shipments },
) => {
  app.post(
    '/api/shipments',
    {
      schema: {
        tags: ['shipments'],
        summary: "Book an order's shipment (idempotent by order id)",
        description:
          'Creates the shipment (201) with a tracking number and the fee a quote gives for the same ' +
          'items, address and method. Repeating the request for the same order answers the same ' +
          'shipment (200) and creates nothing; a different request for a booked order, or a booking for ' +
          'a cancelled order, is a 409.',
        body: ShipmentRequest,
        response: { 200: ShipmentWithEvents, 201: ShipmentWithEvents, ...problemResponses(400, 409) },
      },
    },
    async (request, reply) => {
      const { shipment, created } = await shipments.book(request.body)
      if (created) reply.code(201).header('location', `/api/shipments/${shipment.trackingNumber}`)
      return shipment
    },
  )

  app.get(
    '/api/shipments/:trackingNumber',
    {
      schema: {
        tags: ['shipments'],
        summary: 'Track a shipment',
        description: 'Case and dashes do not matter, and O, I or L read as 0, 1 and 1.',
        params: Type.Object({ trackingNumber: Type.String({ pattern: '^[A-Za-z0-9 -]{1,40}$' }) }),
        response: { 200: ShipmentWithEvents, ...problemResponses(400, 404) },
      },
    },
    async (request) => {
      const trackingNumber = normalizeTrackingNumber(request.params.trackingNumber)
      const shipment = trackingNumber && (await shipments.track(trackingNumber))
      if (!shipment)
        throw new ProblemError(404, `No shipment with tracking number ${request.params.trackingNumber}`, {
          title: 'Shipment not found',
          type: problemType('shipment-not-found'),
        })
      return shipment
    },
  )

  app.delete(
    '/api/shipments/by-order/:orderId',
    {
      schema: {
        tags: ['shipments'],
        summary: "Cancel an order's shipment (idempotent)",
        description:
          'Cancels the booked shipment, or, when none is booked yet, makes any later booking for the ' +
          'order a 409. Repeating it answers the same cancellation.',
        params: Type.Object({ orderId: OrderId }),
        response: { 200: ShipmentCancellation, ...problemResponses(400) },
      },
    },
    async (request) => shipments.cancel(request.params.orderId),
  )
}
