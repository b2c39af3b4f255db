import { appConfigProperties, loadConfig } from '@shop/service-kit'
import { Type, type Static } from '@shop/contracts/typebox'

export const ConfigSchema = Type.Object({
  // PROFILE_MANAGEMENT_URL, from its calls: profile-management publishes the keys that sign users' tokens.
  ...appConfigProperties('contact-support-team', { database: true }),
  /** Tickets one client (a user when signed in, else an address) may open per window. */
  TICKET_RATE_LIMIT_MAX: Type.Integer({ minimum: 1, maximum: 10_000, default: 5 }),
  TICKET_RATE_LIMIT_WINDOW_MS: Type.Integer({ minimum: 1_000, maximum: 86_400_000, default: 600_000 }),
})
export type Config = Static<typeof ConfigSchema>

export function loadAppConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Tickets must survive restarts and be shared by every replica: no database, no service.
  return loadConfig(ConfigSchema, env, { requireDatabase: true })
}
