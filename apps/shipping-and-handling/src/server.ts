import { runService } from '@shop/service-kit'
import { buildApp } from './app.js'
import { clockOf, loadShippingConfig } from './config.js'

await runService(async () => {
  const config = loadShippingConfig()
  return buildApp(config, clockOf(config))
})
