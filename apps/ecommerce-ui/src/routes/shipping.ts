import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { QuoteList, QuoteRequest, ShippingMethodList, ShippingPolicy } from '@shop/contracts'
import { problemResponses } from '@shop/service-kit'

/** Shipping methods, estimates and the policy, as shipping-and-handling answers them. */
export const shippingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/shipping/methods',
    {
      schema: {
        tags: ['shipping'],
        summary: 'The shipping methods, their fees and delivery times',
        response: { 200: ShippingMethodList, ...problemResponses(502, 504) },
      },
    },
    async (request) => request.calls.fetch('shipping-and-handling', '/api/shipping/methods'),
  )

  app.post(
    '/api/shipping/quote',
    {
      schema: {
        tags: ['shipping'],
        summary: 'Estimate the fee and delivery dates of items to a destination',
        description:
          'An estimate only (the product page shows it): the fee of an order is computed by ' +
          'order-management from the catalog, whatever the page sends here.',
        body: QuoteRequest,
        response: { 200: QuoteList, ...problemResponses(400, 403, 502, 504) },
      },
    },
    async (request) =>
      request.calls.fetch('shipping-and-handling', '/api/shipping/quote', {
        method: 'POST',
        body: request.body,
      }),
  )

  app.get(
    '/api/shipping/policy',
    {
      schema: {
        tags: ['shipping'],
        summary: 'The shipping policy',
        response: { 200: ShippingPolicy, ...problemResponses(502, 504) },
      },
    },
    async (request) => request.calls.fetch('shipping-and-handling', '/api/shipping/policy'),
  )
}
