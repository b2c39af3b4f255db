import type { IncomingHttpHeaders } from 'node:http'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { CategoryList, PRODUCT_SORTS_V2, Product, ProductId, ProductPage, Rating } from '@shop/contracts'
import { headerValue, problemResponses, Type } from '@shop/service-kit'
import { queryString } from '../services.js'

/** A product as either catalog version answers it: v2 adds the rating. */
const ShopProduct = Type.Object(
  { ...Product.properties, rating: Type.Optional(Rating) },
  { description: 'A product; `rating` is present when product-catalog v2 answered' },
)

const ListQuery = Type.Object({
  category: Type.Optional(
    Type.String({ pattern: '^[a-z0-9-]{1,40}$', description: 'Only this category id' }),
  ),
  q: Type.Optional(
    Type.String({ minLength: 1, maxLength: 100, description: 'Text in the name or description' }),
  ),
  sort: Type.Enum(PRODUCT_SORTS_V2, {
    default: 'name',
    description: '`rating` needs product-catalog v2; when v1 answers, the list comes sorted by name instead',
  }),
  page: Type.Integer({ minimum: 1, maximum: 10_000, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 12 }),
})

/**
 * The catalog, as product-catalog answers it. An `x-canary` header from the browser goes along, so
 * the mesh's tester routing can send this person to the canary.
 */
export const catalogRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/products',
    {
      schema: {
        tags: ['catalog'],
        summary: 'List products: filter by category, search, sort and paginate',
        description:
          "The answer's `sort` is the sort applied. During a canary, product-catalog v1 may answer a " +
          '`sort=rating` request, which it does not know: the list then comes sorted by name, and says so.',
        querystring: ListQuery,
        response: { 200: ProductPage(ShopProduct), ...problemResponses(400, 502, 504) },
      },
    },
    async (request) => {
      const { category, q, sort, page, pageSize } = request.query
      const ask = (applied: string) =>
        request.calls.send<ProductPage>(
          'product-catalog',
          `/api/products${queryString({ category, q, sort: applied, page, pageSize })}`,
          { headers: canaryHeader(request) },
        )
      let response = await ask(sort)
      if (response.status === 400 && sort === 'rating' && servedByV1(response.headers))
        response = await ask('name')
      return request.calls.passOn(response)
    },
  )

  app.get(
    '/api/products/:id',
    {
      schema: {
        tags: ['catalog'],
        summary: 'One product',
        params: Type.Object({ id: ProductId }),
        response: { 200: ShopProduct, ...problemResponses(400, 404, 502, 504) },
      },
    },
    async (request) =>
      request.calls.relay('product-catalog', `/api/products/${request.params.id}`, {
        headers: canaryHeader(request),
      }),
  )

  app.get(
    '/api/categories',
    {
      schema: {
        tags: ['catalog'],
        summary: 'The categories, with how many products each holds',
        response: { 200: CategoryList, ...problemResponses(502, 504) },
      },
    },
    async (request) =>
      request.calls.relay('product-catalog', '/api/categories', { headers: canaryHeader(request) }),
  )
}

function canaryHeader(request: FastifyRequest): Record<string, string | undefined> {
  const value = request.headers['x-canary']
  return { 'x-canary': typeof value === 'string' && /^[\w.-]{1,64}$/.test(value) ? value : undefined }
}

function servedByV1(headers: IncomingHttpHeaders): boolean {
  return headerValue(headers, 'x-served-by') === 'product-catalog/v1'
}
