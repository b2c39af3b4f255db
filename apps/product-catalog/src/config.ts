import {
  ConfigError,
  databaseConfigProperties,
  loadConfig,
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
  if (config.SERVICE_VERSION === 'v2' && !config.MONGODB_URI && !config.MONGODB_HOST)
    throw new ConfigError(
      'Invalid configuration: MONGODB_URI or MONGODB_HOST is required for SERVICE_VERSION v2',
    )
  return config
}
