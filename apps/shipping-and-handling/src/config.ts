import {
  databaseConfigProperties,
  loadConfig,
  requireDatabaseConfig,
  serviceConfigProperties,
  Type,
  type Static,
} from '@shop/service-kit'

export const ConfigSchema = Type.Object({
  ...serviceConfigProperties({ port: 8080 }),
  ...databaseConfigProperties,
  /**
   * Stops the service's clock at this instant, so quotes, delivery dates and shipment statuses are
   * reproducible in tests and demos. Unset in production: the clock is the system's.
   */
  CLOCK_FIXED_AT: Type.Optional(Type.String({ format: 'date-time' })),
})
export type Config = Static<typeof ConfigSchema>

export function loadShippingConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const config = loadConfig(ConfigSchema, env)
  // Shipments must survive restarts and be shared by every replica: no database, no service.
  requireDatabaseConfig(config)
  return config
}

export function clockOf(config: Config): () => Date {
  const fixed = config.CLOCK_FIXED_AT
  if (!fixed) return () => new Date()
  const time = Date.parse(fixed)
  return () => new Date(time)
}
