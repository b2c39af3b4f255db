import {
  databaseConfigProperties,
  loadConfig,
  serviceConfigProperties,
  Type,
  upstreamTimeoutProperty,
  upstreamUrl,
  type Static,
} from '@shop/service-kit'

export const ConfigSchema = Type.Object({
  ...serviceConfigProperties({ port: 9090 }),
  ...databaseConfigProperties,
  ...upstreamTimeoutProperty,
  PRODUCT_CATALOG_URL: upstreamUrl('http://product-catalog:3001'),
  PRODUCT_INVENTORY_URL: upstreamUrl('http://product-inventory:3002'),
  PROFILE_MANAGEMENT_URL: upstreamUrl('http://profile-management:3003'),
  SHIPPING_AND_HANDLING_URL: upstreamUrl('http://shipping-and-handling:8080'),
})
export type Config = Static<typeof ConfigSchema>

export function loadOrderConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return loadConfig(ConfigSchema, env)
}
