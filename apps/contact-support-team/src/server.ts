import { runService } from '@shop/service-kit'
import { buildApp } from './app.js'
import { loadSupportConfig } from './config.js'

await runService(() => buildApp(loadSupportConfig()))
