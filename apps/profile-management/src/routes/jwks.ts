import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { TOKEN_ALGORITHM } from '@shop/contracts'
import { Type } from '@shop/service-kit'
import type { TokenIssuer } from '../domain/tokens.js'

export const JWKS_PATH = '/.well-known/jwks.json'

/** An RSA public key with exactly the members of RFC 7517/7518: serialization drops anything else. */
const PublicJwk = Type.Object({
  kty: Type.Literal('RSA'),
  n: Type.String({ description: 'Modulus, base64url' }),
  e: Type.String({ description: 'Exponent, base64url' }),
  kid: Type.String(),
  alg: Type.Literal(TOKEN_ALGORITHM),
  use: Type.Literal('sig'),
})

/**
 * Verifiers (the other services through the kit, Istio's RequestAuthentication through istiod) cache
 * these keys and fetch again when a token names a key they do not know. Five minutes of HTTP caching
 * keeps a rotated key from waiting long to be seen while sparing the service repeated fetches.
 */
const CACHE_CONTROL = 'public, max-age=300'

export const jwksRoutes: FastifyPluginAsyncTypebox<{ tokens: TokenIssuer }> = async (app, { tokens }) => {
  app.get(
    JWKS_PATH,
    {
      schema: {
        tags: ['auth'],
        summary: 'The public keys that verify tokens (JWKS, RFC 7517)',
        response: { 200: Type.Object({ keys: Type.Array(PublicJwk) }) },
      },
    },
    async (_request, reply) => reply.header('cache-control', CACHE_CONTROL).send(tokens.jwks()),
  )
}
