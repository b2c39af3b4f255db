import { appConfigProperties, loadConfig } from '@shop/service-kit'
import { Type, type Static } from '@shop/contracts/typebox'

export const ConfigSchema = Type.Object({
  ...appConfigProperties('product-catalog', { database: true }),
})
export type Config = Static<typeof ConfigSchema>

export function loadAppConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // v1 holds the catalog in memory; v2 serves it from MongoDB.
  return loadConfig(ConfigSchema, env, {
    requireDatabase: { when: (config) => config.SERVICE_VERSION === 'v2', reason: 'for SERVICE_VERSION v2' },
  })
}
