import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ListOf, QuoteRequest } from '@shop/contracts'
import { problemResponses } from '@shop/service-kit'
import { quoteShipping } from '../domain/quote.js'
import { QuoteWithBreakdown } from './schemas.js'

export const quoteRoutes: FastifyPluginAsyncTypebox<{ clock: () => Date }> = async (app, { clock }) => {
  app.post(
    '/api/shipping/quote',
    {
      schema: {
        tags: ['shipping'],
        summary: 'Quote the fee and delivery dates of some items to a destination, by every method or one',
        description:
          'Deterministic: the same items, destination and method give the same fee; the dates count ' +
          'business days from today. Nothing is stored.',
        body: QuoteRequest,
        response: { 200: ListOf(QuoteWithBreakdown), ...problemResponses(400) },
      },
    },
    async (request) => {
      const items = quoteShipping(request.body, clock())
      return { items, total: items.length }
    },
  )
}
