import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  PRODUCT_SORTS_V1,
  PRODUCT_SORTS_V2,
  Product,
  ProductId,
  ProductPage,
  ProductWithRating,
  type ProductSort,
} from '@shop/contracts'
import { problemResponses, ProblemError, problemType, Type } from '@shop/service-kit'
import type { CatalogStore } from '../domain/catalog.js'

export interface ProductRoutesOptions {
  store: CatalogStore
  /** v2 answers ratings and sorts by them; v1's schemas have neither. */
  withRatings: boolean
}

export const productRoutes: FastifyPluginAsyncTypebox<ProductRoutesOptions> = async (
  app,
  { store, withRatings },
) => {
  const item = withRatings ? ProductWithRating : Product
  const sorts: ProductSort[] = [...(withRatings ? PRODUCT_SORTS_V2 : PRODUCT_SORTS_V1)]
  const ListQuery = Type.Object({
    category: Type.Optional(
      Type.String({ pattern: '^[a-z0-9-]{1,40}$', description: 'Only this category id' }),
    ),
    q: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'Text in the name or description' }),
    ),
    ids: Type.Optional(
      Type.String({
        pattern: '^[a-z0-9-]{1,80}(,[a-z0-9-]{1,80}){0,99}$',
        description: 'Comma-separated product ids',
      }),
    ),
    sort: Type.Enum(sorts, { default: 'name' }),
    page: Type.Integer({ minimum: 1, maximum: 10_000, default: 1 }),
    pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 12 }),
  })

  app.get(
    '/api/products',
    {
      schema: {
        tags: ['products'],
        summary: 'List products: filter by category, search, sort and paginate',
        querystring: ListQuery,
        response: { 200: ProductPage(item), ...problemResponses(400) },
      },
    },
    async (request) => {
      const { category, q, ids, sort, page, pageSize } = request.query
      const query = { category, search: q?.trim() || undefined, ids: ids?.split(','), sort, page, pageSize }
      const { items, total } = await store.list(query)
      return { items, total, page, pageSize, sort }
    },
  )

  app.get(
    '/api/products/:id',
    {
      schema: {
        tags: ['products'],
        summary: 'One product',
        params: Type.Object({ id: ProductId }),
        response: { 200: item, ...problemResponses(400, 404) },
      },
    },
    async (request) => {
      const product = await store.get(request.params.id)
      if (!product)
        throw new ProblemError(404, `No product with id ${request.params.id}`, {
          title: 'Product not found',
          type: problemType('product-not-found'),
        })
      return product
    },
  )
}
