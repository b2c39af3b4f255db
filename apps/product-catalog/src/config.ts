import {
  databaseConfigProperties,
  loadConfig,
  requireDatabaseConfig,
  serviceConfigProperties,
  Type,
  type Static,
} from '@shop/service-kit'

export const ConfigSchema = Type.Object({
  ...serviceConfigProperties({ port: 3001 }),
  ...databaseConfigProperties,
})
export type Config = Static<typeof ConfigSchema>

export function loadCatalogConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const config = loadConfig(ConfigSchema, env)
  // v1 holds the catalog in memory; v2 serves it from MongoDB.
  if (config.SERVICE_VERSION === 'v2') requireDatabaseConfig(config, 'for SERVICE_VERSION v2')
  return config
}
