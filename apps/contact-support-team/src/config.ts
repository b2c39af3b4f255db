import {
  databaseConfigProperties,
  loadConfig,
  serviceConfigProperties,
  Type,
  upstreamUrl,
  type Static,
} from '@shop/service-kit'
import { clusterUrlOf } from '@shop/contracts'

export const ConfigSchema = Type.Object({
  ...serviceConfigProperties({ port: 8000 }),
  ...databaseConfigProperties,
  /** Publishes the keys that sign users' tokens, at /.well-known/jwks.json. */
  PROFILE_MANAGEMENT_URL: upstreamUrl(clusterUrlOf('profile-management')),
  /** Tickets one client (a user when signed in, else an address) may open per window. */
  TICKET_RATE_LIMIT_MAX: Type.Integer({ minimum: 1, maximum: 10_000, default: 5 }),
  TICKET_RATE_LIMIT_WINDOW_MS: Type.Integer({ minimum: 1_000, maximum: 86_400_000, default: 600_000 }),
})
export type Config = Static<typeof ConfigSchema>

export function loadAppConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Tickets must survive restarts and be shared by every replica: no database, no service.
  return loadConfig(ConfigSchema, env, { requireDatabase: true })
}
