import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { InventoryItem, InventoryList, ProductId } from '@shop/contracts'
import { problemResponses, Type } from '@shop/service-kit'
import { queryString } from '../services.js'

/** Availability, as product-inventory answers it. */
export const inventoryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/inventory',
    {
      schema: {
        tags: ['inventory'],
        summary: 'Units available of every product, or of the products named',
        querystring: Type.Object({
          productIds: Type.Optional(
            Type.String({
              pattern: '^[a-z0-9][a-z0-9-]{0,79}(,[a-z0-9][a-z0-9-]{0,79}){0,99}$',
              description: 'Comma-separated product ids (at most 100)',
            }),
          ),
        }),
        response: { 200: InventoryList, ...problemResponses(400, 502, 504) },
      },
    },
    async (request) =>
      request.calls.fetch('product-inventory', `/api/inventory${queryString(request.query)}`),
  )

  app.get(
    '/api/inventory/:productId',
    {
      schema: {
        tags: ['inventory'],
        summary: 'Units available of one product',
        params: Type.Object({ productId: ProductId }),
        response: { 200: InventoryItem, ...problemResponses(400, 404, 502, 504) },
      },
    },
    async (request) => request.calls.fetch('product-inventory', `/api/inventory/${request.params.productId}`),
  )
}
