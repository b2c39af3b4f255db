import { appConfigProperties, loadConfig } from '@shop/service-kit'
import { Type, type Static } from '@shop/contracts/typebox'

export const ConfigSchema = Type.Object({
  ...appConfigProperties('shipping-and-handling', { database: true }),
  /**
   * Stops the service's clock at this instant, so quotes, delivery dates and shipment statuses are
   * reproducible in tests and demos. Unset in production: the clock is the system's.
   */
  CLOCK_FIXED_AT: Type.Optional(Type.String({ format: 'date-time' })),
})
export type Config = Static<typeof ConfigSchema>

export function loadAppConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Shipments must survive restarts and be shared by every replica: no database, no service.
  return loadConfig(ConfigSchema, env, { requireDatabase: true })
}

export function clockOf(config: Config): () => Date {
  const fixed = config.CLOCK_FIXED_AT
  if (!fixed) return () => new Date()
  const time = Date.parse(fixed)
  return () => new Date(time)
}
