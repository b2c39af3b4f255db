import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ShippingPolicy } from '@shop/contracts'
import { shippingPolicy } from '../domain/policy.js'

export const policyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const policy = shippingPolicy()
  app.get(
    '/api/shipping/policy',
    {
      schema: {
        tags: ['shipping'],
        summary: 'The shipping and returns policy, as the shop shows it',
        response: { 200: ShippingPolicy },
      },
    },
    async () => policy,
  )
}
