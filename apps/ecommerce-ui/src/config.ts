import { appConfigProperties, loadConfig } from '@shop/service-kit'
import { Type, type Static } from '@shop/contracts/typebox'

export const ConfigSchema = Type.Object({
  ...appConfigProperties('ecommerce-ui', { upstreamTimeout: true }),
  /**
   * Timeout of the calls to order-management: longer than a checkout can take there (its calls' own
   * timeouts add up to 24 s), so the page hears "placed" or "sold out", not "could not confirm".
   */
  ORDER_MANAGEMENT_TIMEOUT_MS: Type.Integer({ minimum: 50, maximum: 120_000, default: 25_000 }),
  /** Jaeger's UI as the browser reaches it; when set, the page links each request id to its trace. */
  JAEGER_UI_URL: Type.Optional(Type.String({ pattern: '^https?://[^\\s]+[^/\\s]$' })),
  /** The load generator's service mode (`http://loadgen:8089`): the page at /mesh shows its live split. */
  LOADGEN_URL: Type.Optional(Type.String({ pattern: '^https?://[^\\s]+[^/\\s]$' })),
  /**
   * `auto`: the session and CSRF cookies are Secure when the request came over HTTPS, as a trusted proxy
   * (TRUSTED_PROXY_HOPS) says in X-Forwarded-Proto. `true`: always Secure, and HSTS on (the shop is only
   * served over HTTPS). `false`: never (plain-HTTP development only).
   */
  SECURE_COOKIES: Type.Enum(['auto', 'true', 'false'], { default: 'auto' }),
  /**
   * Sign-up and sign-in attempts allowed per client address and minute, on each BFF instance (the
   * address is request.ip: TRUSTED_PROXY_HOPS, from the kit, says how far back to look).
   */
  AUTH_RATE_LIMIT_PER_MINUTE: Type.Integer({ minimum: 1, maximum: 10_000, default: 30 }),
})
export type Config = Static<typeof ConfigSchema>

export function loadAppConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return loadConfig(ConfigSchema, env)
}
