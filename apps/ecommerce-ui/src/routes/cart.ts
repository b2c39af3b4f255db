import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Cart, CartLineUpdate, CartQuote, Destination, ProductId, ShippingMethodId } from '@shop/contracts'
import { problemResponses, Type } from '@shop/service-kit'
import { queryString } from '../services.js'

const ProductParams = Type.Object({ productId: ProductId })
const QuoteQuery = Type.Object({
  shippingMethod: Type.Optional(ShippingMethodId),
  country: Type.Optional(Destination.properties.country),
  postalCode: Type.Optional(Destination.properties.postalCode),
})

/**
 * The signed-in person's cart, in order-management. The body of a change is a quantity and nothing
 * else: the person is the session's token, and order-management prices every line from the catalog.
 */
export const cartRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const asUser = true

  app.get(
    '/api/cart',
    {
      schema: {
        tags: ['cart'],
        summary: "The signed-in person's cart",
        response: { 200: Cart, ...problemResponses(401, 502, 504) },
      },
    },
    async (request) => request.calls.fetch('order-management', '/api/cart', { asUser }),
  )

  app.put(
    '/api/cart/items/:productId',
    {
      schema: {
        tags: ['cart'],
        summary: 'Set the quantity of a product in the cart (0 removes it)',
        params: ProductParams,
        body: CartLineUpdate,
        response: { 200: Cart, ...problemResponses(400, 401, 403, 404, 409, 502, 504) },
      },
    },
    async (request) =>
      request.calls.fetch('order-management', `/api/cart/items/${request.params.productId}`, {
        method: 'PUT',
        body: { quantity: request.body.quantity },
        asUser,
      }),
  )

  app.delete(
    '/api/cart/items/:productId',
    {
      schema: {
        tags: ['cart'],
        summary: 'Remove a product from the cart',
        params: ProductParams,
        response: { 200: Cart, ...problemResponses(400, 401, 403, 502, 504) },
      },
    },
    async (request) =>
      request.calls.fetch('order-management', `/api/cart/items/${request.params.productId}`, {
        method: 'DELETE',
        asUser,
      }),
  )

  app.get(
    '/api/cart/quote',
    {
      schema: {
        tags: ['cart'],
        summary: 'The cart with shipping to a destination: fee, total and delivery dates',
        description: 'Without a destination, the saved address of the profile; without a method, standard.',
        querystring: QuoteQuery,
        // 409: the cart is empty (order-management's empty-cart problem).
        response: { 200: CartQuote, ...problemResponses(400, 401, 409, 502, 504) },
      },
    },
    async (request) =>
      request.calls.fetch('order-management', `/api/cart/quote${queryString(request.query)}`, { asUser }),
  )
}
