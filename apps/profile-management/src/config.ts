import { appConfigProperties, loadConfig } from '@shop/service-kit'
import { Type, type Static } from '@shop/contracts/typebox'

export const ConfigSchema = Type.Object({
  ...appConfigProperties('profile-management', { database: true }),
  /**
   * The RSA private key that signs tokens, as PEM (PKCS#8); in Kubernetes it comes from a Secret. Without
   * it the service makes a throw-away key at start-up (development only). The name contains KEY, so the
   * kit never echoes its value in an error.
   */
  JWT_PRIVATE_KEY: Type.Optional(Type.String({ minLength: 1 })),
  /** The `kid` tokens and the JWKS carry; defaults to the key's RFC 7638 thumbprint. */
  JWT_KEY_ID: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9._-]{1,64}$' })),
  /** How long a token is valid. Two hours: see TokenIssuer. */
  JWT_LIFETIME_SECONDS: Type.Integer({ minimum: 60, maximum: 86_400, default: 7_200 }),
  /** Failed sign-ins one e-mail may have per window from one client address before that client gets 429. */
  SIGNIN_FAILURES_PER_EMAIL: Type.Integer({ minimum: 1, maximum: 1_000, default: 5 }),
  /** Failed sign-ins one e-mail may have per window from all clients together, before everyone gets 429. */
  SIGNIN_FAILURES_PER_EMAIL_ALL_CLIENTS: Type.Integer({ minimum: 1, maximum: 100_000, default: 50 }),
  SIGNIN_FAILURE_WINDOW_SECONDS: Type.Integer({ minimum: 1, maximum: 86_400, default: 900 }),
  /** Sign-in attempts, and separately sign-ups, one client address may make per minute. */
  AUTH_ATTEMPTS_PER_CLIENT_PER_MINUTE: Type.Integer({ minimum: 1, maximum: 100_000, default: 30 }),
})
export type Config = Static<typeof ConfigSchema>

export function loadAppConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return loadConfig(ConfigSchema, env, { requireDatabase: true })
}
