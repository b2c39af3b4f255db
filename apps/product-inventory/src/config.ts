import { appConfigProperties, loadConfig } from '@shop/service-kit'
import { Type, type Static } from '@shop/contracts/typebox'

export const ConfigSchema = Type.Object({
  ...appConfigProperties('product-inventory', { database: true }),
  /**
   * A reservation still taking stock after this long gives up (and is refused); one whose process
   * died is settled by the sweeper once twice this long has passed (see domain/reservations.ts).
   */
  RESERVATION_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 600_000, default: 10_000 }),
  /** How often each instance looks for reservations and releases that a dead process left unsettled. */
  RESERVATION_SWEEP_INTERVAL_MS: Type.Integer({ minimum: 100, maximum: 600_000, default: 5_000 }),
})
export type Config = Static<typeof ConfigSchema>

export function loadAppConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Stock lives only in the database: unlike the catalog's v1 there is nothing to serve without one.
  return loadConfig(ConfigSchema, env, { requireDatabase: true })
}
