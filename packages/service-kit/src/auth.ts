import { TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER } from '@shop/contracts'
import type { FastifyRequest } from 'fastify'
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from './jose.js'
import { ProblemError, problemType } from './problem.js'

/** Who a request acts for, from a verified bearer token. */
export interface Principal {
  userId: string
  email: string
  /** The raw bearer token, to pass on when this service calls another on the user's behalf. */
  token: string
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal
  }
}

export type TokenVerifier = (authorization: string | undefined) => Promise<Principal>

/**
 * Verifies bearer tokens offline against profile-management's JWKS, fetched once and cached (and
 * fetched again when a token names a key it does not know, after a key rotation).
 */
export function jwksTokenVerifier(jwksUrl: string): TokenVerifier {
  return tokenVerifier(
    createRemoteJWKSet(new URL(jwksUrl), {
      timeoutDuration: 2_000,
      cooldownDuration: 30_000,
      cacheMaxAge: 10 * 60_000,
    }),
  )
}

/** Verifies bearer tokens against the given keys (profile-management checks its own tokens this way). */
export function tokenVerifier(keys: JWTVerifyGetKey): TokenVerifier {
  return async (authorization) => {
    const token = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(authorization ?? '')?.[1]
    if (!token) throw unauthorized('Sign in first: this needs an Authorization: Bearer token')
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        algorithms: [TOKEN_ALGORITHM],
      })
      if (typeof payload.sub !== 'string' || typeof payload.email !== 'string')
        throw unauthorized('The token does not name a user')
      return { userId: payload.sub, email: payload.email, token }
    } catch (error) {
      if (error instanceof ProblemError) throw error
      if (error instanceof errors.JWTExpired) throw unauthorized('The token has expired: sign in again')
      // No keys to check against (profile-management unreachable) is not the caller's fault.
      if (error instanceof errors.JWKSTimeout || !(error instanceof errors.JOSEError))
        throw new ProblemError(503, 'The signing keys could not be fetched to check the token', {
          title: 'Authentication unavailable',
          type: problemType('authentication-unavailable'),
          cause: error,
        })
      throw unauthorized('The token is not valid')
    }
  }
}

function unauthorized(detail: string): ProblemError {
  return new ProblemError(401, detail, { title: 'Unauthorized', type: problemType('unauthorized') })
}

/** The user a route acts for: set by `requireUser`, which must guard the route. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw unauthorized('Sign in first')
  return request.principal
}

/** preHandler: the route needs a signed-in user; sets request.principal or answers 401. */
export function requireUser(verify: TokenVerifier) {
  return async (request: FastifyRequest): Promise<void> => {
    request.principal = await verify(request.headers.authorization)
  }
}

/** preHandler: a user when a token is given (an invalid token is still a 401), else a guest. */
export function optionalUser(verify: TokenVerifier) {
  return async (request: FastifyRequest): Promise<void> => {
    if (request.headers.authorization) request.principal = await verify(request.headers.authorization)
  }
}
