import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Order, OrderId, OrderList, PlaceOrderRequest } from '@shop/contracts'
import { problemResponses, ProblemError, problemType, Type } from '@shop/service-kit'
import { principalOf } from '@shop/service-kit/auth'
import type { Counter } from 'prom-client'
import type { CatalogClient } from '../clients/catalog.js'
import type { InventoryClient } from '../clients/inventory.js'
import type { ProfileClient } from '../clients/profile.js'
import type { ShippingClient } from '../clients/shipping.js'
import { Checkout, type CheckoutTiming } from '../domain/checkout.js'
import { requireData, type OrderData } from './guards.js'

export interface OrderRoutesOptions {
  data: OrderData | undefined
  clients: {
    catalog: CatalogClient
    inventory: InventoryClient
    shipping: ShippingClient
    profile: ProfileClient
  }
  timing: CheckoutTiming
  ordersPlaced: Counter
}

const security = [{ bearerAuth: [] }]

export const orderRoutes: FastifyPluginAsyncTypebox<OrderRoutesOptions> = async (
  app,
  { data, clients, timing, ordersPlaced },
) => {
  app.post(
    '/api/orders',
    {
      schema: {
        tags: ['orders'],
        summary: 'Place an order from the cart; repeating the same Idempotency-Key answers the same order',
        security,
        headers: Type.Object({
          'idempotency-key': Type.String({
            pattern: '^[A-Za-z0-9_.:-]{8,100}$',
            description:
              'A key the client makes per order attempt (8-100 of A-Z a-z 0-9 _ . : -), reused on retry',
          }),
        }),
        body: PlaceOrderRequest,
        response: { 201: Order, ...problemResponses(400, 401, 409, 422, 500, 502, 503, 504) },
      },
    },
    async (request, reply) => {
      const checkout = new Checkout({ ...requireData(data), ...clients }, timing, request.log)
      const { order, replayed } = await checkout.placeOrder(
        principalOf(request),
        request.headers['idempotency-key'],
        request.body,
      )
      if (replayed) reply.header('idempotent-replayed', 'true')
      else ordersPlaced.inc()
      return reply.code(201).send(order)
    },
  )

  app.get(
    '/api/orders',
    {
      schema: {
        tags: ['orders'],
        summary: "The signed-in user's orders, newest first",
        security,
        querystring: Type.Object({
          page: Type.Integer({ minimum: 1, maximum: 10_000, default: 1 }),
          pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
        }),
        response: { 200: OrderList, ...problemResponses(400, 401, 500, 503) },
      },
    },
    async (request) =>
      requireData(data).orders.listOwn(
        principalOf(request).userId,
        request.query.page,
        request.query.pageSize,
      ),
  )

  app.get(
    '/api/orders/:id',
    {
      schema: {
        tags: ['orders'],
        summary: "One of the signed-in user's orders (another user's order id answers 404)",
        security,
        params: Type.Object({ id: OrderId }),
        response: { 200: Order, ...problemResponses(400, 401, 404, 500, 503) },
      },
    },
    async (request) => {
      const order = await requireData(data).orders.findOwn(principalOf(request).userId, request.params.id)
      if (!order)
        throw new ProblemError(404, `No order ${request.params.id}`, {
          title: 'Order not found',
          type: problemType('order-not-found'),
        })
      return order
    },
  )
}
