import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ProfileUpdate, User } from '@shop/contracts'
import { problemResponses } from '@shop/service-kit'

/** The signed-in person's profile, as profile-management answers it. */
export const profileRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/profile',
    {
      schema: {
        tags: ['profile'],
        summary: "The signed-in person's profile",
        response: { 200: User, ...problemResponses(401, 502, 504) },
      },
    },
    async (request) => request.calls.fetch('profile-management', '/api/profile', { asUser: true }),
  )

  app.put(
    '/api/profile',
    {
      schema: {
        tags: ['profile'],
        summary: "Change the signed-in person's name or address",
        body: ProfileUpdate,
        response: { 200: User, ...problemResponses(400, 401, 403, 409, 502, 504) },
      },
    },
    async (request) =>
      request.calls.fetch('profile-management', '/api/profile', {
        method: 'PUT',
        body: request.body,
        asUser: true,
      }),
  )
}
