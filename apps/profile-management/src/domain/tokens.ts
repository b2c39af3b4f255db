import { randomUUID } from 'node:crypto'
import { TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER } from '@shop/contracts'
import { SignJWT } from '@shop/service-kit/jose'
import type { PublicJwk, SigningKey } from './signing-key.js'

export interface IssuedToken {
  token: string
  /** When the token stops being accepted, ISO 8601. */
  expiresAt: string
}

/**
 * Issues the bearer tokens every service (and Istio's RequestAuthentication) verifies offline with the
 * JWKS. They cannot be revoked before they expire (nobody asks this service about them), so the
 * lifetime is the window a stolen token stays useful: two hours by default, long enough for a shopping
 * session without a refresh flow, short enough to bound that risk.
 */
export class TokenIssuer {
  constructor(
    private readonly key: SigningKey,
    private readonly lifetimeSeconds: number,
  ) {}

  async issue(user: { id: string; email: string }, now = new Date()): Promise<IssuedToken> {
    const issuedAt = Math.floor(now.getTime() / 1000)
    const expiresAt = issuedAt + this.lifetimeSeconds
    const token = await new SignJWT({ email: user.email })
      .setProtectedHeader({ alg: TOKEN_ALGORITHM, kid: this.key.kid, typ: 'JWT' })
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setSubject(user.id)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .setJti(randomUUID())
      .sign(this.key.privateKey)
    return { token, expiresAt: new Date(expiresAt * 1000).toISOString() }
  }

  /** The public keys tokens verify with, as a JSON Web Key Set (RFC 7517). */
  jwks(): { keys: PublicJwk[] } {
    return { keys: [this.key.publicJwk] }
  }
}
