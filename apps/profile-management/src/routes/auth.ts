import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Session, SignInRequest, SignUpRequest } from '@shop/contracts'
import { problemResponses, ProblemError, problemType } from '@shop/service-kit'
import type { Accounts } from '../domain/accounts.js'
import type { TokenIssuer } from '../domain/tokens.js'
import type { AuthRateLimits } from '../plugins/rate-limit.js'

export interface AuthRoutesOptions {
  accounts: Accounts
  tokens: TokenIssuer
  limits: AuthRateLimits
}

export const authRoutes: FastifyPluginAsyncTypebox<AuthRoutesOptions> = async (
  app,
  { accounts, tokens, limits },
) => {
  app.post(
    '/api/auth/signup',
    {
      config: { rateLimit: limits.perClient },
      schema: {
        tags: ['auth'],
        summary: 'Create an account and sign in to it',
        description:
          'E-mails are compared case-insensitively; an e-mail that already has an account answers 409.',
        body: SignUpRequest,
        response: { 201: Session, ...problemResponses(400, 409, 429) },
      },
    },
    async (request, reply) => {
      const user = await accounts.signUp(request.body)
      const session = { user, ...(await tokens.issue(user)) }
      return reply.code(201).header('cache-control', 'no-store').send(session)
    },
  )

  app.post(
    '/api/auth/signin',
    {
      config: { rateLimit: limits.perClient },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with e-mail and password',
        description:
          'A wrong password and an unknown e-mail answer the same 401. Failed attempts are limited per e-mail ' +
          'and all attempts per client address: over the limit the answer is 429 with Retry-After.',
        body: SignInRequest,
        response: { 200: Session, ...problemResponses(400, 401, 429) },
      },
    },
    async (request, reply) => {
      const { email, password } = request.body
      const user = await limits.signInAttempt(request, reply, () => accounts.signIn(email, password))
      if (!user)
        throw new ProblemError(401, 'The e-mail or the password is not correct', {
          title: 'Sign-in failed',
          type: problemType('invalid-credentials'),
        })
      const session = { user, ...(await tokens.issue(user)) }
      return reply.header('cache-control', 'no-store').send(session)
    },
  )
}
