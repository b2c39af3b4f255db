import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { categories } from '@shop/catalog-data'
import { CategoryList } from '@shop/contracts'
import { summarizeCategories, type CatalogStore } from '../domain/catalog.js'

export const categoryRoutes: FastifyPluginAsyncTypebox<{ store: CatalogStore }> = async (app, { store }) => {
  app.get(
    '/api/categories',
    {
      schema: {
        tags: ['categories'],
        summary: 'The categories, with how many products each holds',
        response: { 200: CategoryList },
      },
    },
    async () => {
      const items = summarizeCategories(categories, await store.countByCategory())
      return { items, total: items.length }
    },
  )
}
