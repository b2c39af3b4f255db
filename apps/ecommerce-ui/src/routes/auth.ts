import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Session, SignInRequest, SignUpRequest, User } from '@shop/contracts'
import { ProblemError, problemResponses, problemType, Type } from '@shop/service-kit'
import type { FastifyRequest } from 'fastify'
import { clearSession, sessionToken, startSession } from '../session.js'

/** What sign-up and sign-in answer the page: the person, never the token (it stays in the cookie). */
const SignedIn = Type.Object({ user: User, expiresAt: Session.properties.expiresAt })
const CurrentSession = Type.Object({
  user: Type.Union([User, Type.Null()], { description: 'null when nobody is signed in' }),
})

export interface AuthRoutesOptions {
  /** Sign-up and sign-in attempts per client address and minute. */
  attemptsPerMinute: number
}

/**
 * Sign-up, sign-in and sign-out through profile-management, the current session, and the CSRF token. The token it issues is
 * kept in an httpOnly cookie; the page only ever learns who is signed in.
 */
export const authRoutes: FastifyPluginAsyncTypebox<AuthRoutesOptions> = async (
  app,
  { attemptsPerMinute },
) => {
  const rateLimit = {
    max: attemptsPerMinute,
    timeWindow: '1 minute',
    // request.ip: the address TRUSTED_PROXY_HOPS hops back in X-Forwarded-For (the kit's trustProxy).
    keyGenerator: (request: FastifyRequest) => request.ip,
    errorResponseBuilder: () =>
      new ProblemError(429, 'Too many attempts from this address: wait a minute and try again.', {
        title: 'Too many attempts',
        type: problemType('rate-limited'),
      }),
  }

  app.get(
    '/api/csrf-token',
    {
      schema: {
        tags: ['session'],
        summary: 'A token to send as `x-csrf-token` with every POST, PUT and DELETE',
        response: { 200: Type.Object({ token: Type.String() }) },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'no-store')
      return { token: reply.generateCsrf() }
    },
  )

  app.get(
    '/api/session',
    {
      schema: {
        tags: ['session'],
        summary: 'Who is signed in (from the session cookie)',
        response: { 200: CurrentSession, ...problemResponses(502, 504) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store')
      if (!sessionToken(request)) return { user: null }
      try {
        const user = await request.calls.fetch<User>('profile-management', '/api/profile', { asUser: true })
        return { user }
      } catch (error) {
        // An expired token or a deleted account: the cookie is of no use any more.
        if (!(error instanceof ProblemError) || (error.status !== 401 && error.status !== 404)) throw error
        clearSession(reply)
        return { user: null }
      }
    },
  )

  for (const [path, body, summary] of [
    ['/api/auth/signup', SignUpRequest, 'Create an account and sign in'],
    ['/api/auth/signin', SignInRequest, 'Sign in with email and password'],
  ] as const) {
    app.post(
      path,
      {
        config: { rateLimit },
        schema: {
          tags: ['session'],
          summary,
          description: 'Sets the httpOnly session cookie; the token itself never reaches the page.',
          body,
          response: {
            [path.endsWith('signup') ? 201 : 200]: SignedIn,
            ...problemResponses(400, 401, 403, 409, 429, 502, 504),
          },
        },
      },
      async (request, reply) => {
        const session = await request.calls.fetch<Session>('profile-management', path, {
          method: 'POST',
          body: request.body,
        })
        startSession(reply, session.token, session.expiresAt)
        return reply
          .code(path.endsWith('signup') ? 201 : 200)
          .send({ user: session.user, expiresAt: session.expiresAt })
      },
    )
  }

  app.post(
    '/api/auth/signout',
    {
      schema: {
        tags: ['session'],
        summary: 'Sign out: forget the session cookie',
        response: { 204: Type.Null(), ...problemResponses(403) },
      },
    },
    async (_request, reply) => {
      clearSession(reply)
      return reply.code(204).send(null)
    },
  )
}
