import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { SupportInfo } from '@shop/contracts'
import { SUPPORT_INFO } from '../domain/support-info.js'

export const supportInfoRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/support/info',
    {
      schema: {
        tags: ['support'],
        summary: 'How to reach the support desk, when, and how soon it answers',
        response: { 200: SupportInfo },
      },
    },
    async () => SUPPORT_INFO,
  )
}
