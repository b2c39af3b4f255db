import { runService } from '@shop/service-kit'
import { buildApp } from './app.js'
import { clockOf, loadAppConfig } from './config.js'

await runService(async () => {
  const config = loadAppConfig()
  return buildApp(config, clockOf(config))
})
