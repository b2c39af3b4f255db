import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { InventoryItem, InventoryList, ProductId, StockMovementList } from '@shop/contracts'
import { problemResponses, ProblemError, problemType, Type } from '@shop/service-kit'
import type { Movement, StockLedger } from '../domain/stock-ledger.js'

export const inventoryRoutes: FastifyPluginAsyncTypebox<{ ledger: StockLedger }> = async (
  app,
  { ledger },
) => {
  app.get(
    '/api/inventory',
    {
      schema: {
        tags: ['inventory'],
        summary: 'Stock of every product, or of the products named',
        description: 'Product ids without stock records (unknown to the inventory) are left out of the list.',
        querystring: Type.Object({
          productIds: Type.Optional(
            Type.String({
              pattern: '^[a-z0-9][a-z0-9-]{0,79}(,[a-z0-9][a-z0-9-]{0,79}){0,99}$',
              description: 'Comma-separated product ids (at most 100)',
            }),
          ),
        }),
        response: { 200: InventoryList, ...problemResponses(400) },
      },
    },
    async (request) => {
      const items = (await ledger.list(request.query.productIds?.split(','))).map(toInventoryItem)
      return { items, total: items.length }
    },
  )

  app.get(
    '/api/inventory/:productId',
    {
      schema: {
        tags: ['inventory'],
        summary: "One product's stock",
        params: Type.Object({ productId: ProductId }),
        response: { 200: InventoryItem, ...problemResponses(400, 404) },
      },
    },
    async (request) => {
      const latest = await ledger.latest(request.params.productId)
      if (!latest) throw productNotFound(request.params.productId)
      return toInventoryItem(latest)
    },
  )

  app.get(
    '/api/inventory/:productId/movements',
    {
      schema: {
        tags: ['inventory'],
        summary: "A product's stock ledger, newest first",
        description:
          'Every change of the stock, each with the stock after it: the initial stock, reservations, ' +
          'releases and restocks.',
        params: Type.Object({ productId: ProductId }),
        querystring: Type.Object({
          page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
          pageSize: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
        }),
        response: { 200: StockMovementList, ...problemResponses(400, 404) },
      },
    },
    async (request) => {
      const { items, total } = await ledger.history(request.params.productId, request.query)
      if (total === 0) throw productNotFound(request.params.productId)
      return {
        items: items.map(({ key: _key, at, orderId, ...movement }) => ({
          ...movement,
          ...(orderId === undefined ? {} : { orderId }),
          at: at.toISOString(),
        })),
        total,
      }
    },
  )
}

function toInventoryItem(latest: Movement): InventoryItem {
  return { productId: latest.productId, available: latest.availableAfter, updatedAt: latest.at.toISOString() }
}

function productNotFound(productId: string): ProblemError {
  return new ProblemError(404, `The inventory has no product with id ${productId}`, {
    title: 'Product not found',
    type: problemType('product-not-found'),
  })
}
