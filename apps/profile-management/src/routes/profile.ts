import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ProfileUpdate, User } from '@shop/contracts'
import { problemResponses } from '@shop/service-kit'
import { requireUser, type TokenVerifier } from '@shop/service-kit/auth'
import type { Accounts } from '../domain/accounts.js'

export interface ProfileRoutesOptions {
  accounts: Accounts
  verifyToken: TokenVerifier
}

/**
 * The signed-in user's own profile; the user comes from the token only, so nobody reaches another's.
 * The response schema is the contract's User, which has no password field: serialization drops anything
 * else, so the hash could not leave even if a query returned it.
 */
export const profileRoutes: FastifyPluginAsyncTypebox<ProfileRoutesOptions> = async (
  app,
  { accounts, verifyToken },
) => {
  // On request, before the body is even read: without a valid token nothing else is looked at.
  app.addHook('onRequest', requireUser(verifyToken))
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store')
  })

  app.get(
    '/api/profile',
    {
      schema: {
        tags: ['profile'],
        summary: 'The signed-in user',
        security: [{ bearerAuth: [] }],
        response: { 200: User, ...problemResponses(401) },
      },
    },
    async (request) => accounts.profile(request.principal!.userId),
  )

  app.put(
    '/api/profile',
    {
      schema: {
        tags: ['profile'],
        summary: "Change the signed-in user's name or address",
        description:
          'Sets the fields given and keeps the others. The e-mail and the password cannot be changed here.',
        security: [{ bearerAuth: [] }],
        body: ProfileUpdate,
        response: { 200: User, ...problemResponses(400, 401, 409) },
      },
    },
    async (request) => accounts.updateProfile(request.principal!.userId, request.body),
  )
}
