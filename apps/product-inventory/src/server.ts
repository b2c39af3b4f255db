import { runService } from '@shop/service-kit'
import { buildApp } from './app.js'
import { loadInventoryConfig } from './config.js'

await runService(() => buildApp(loadInventoryConfig()))
