import { runService } from '@shop/service-kit'
import { buildApp } from './app.js'
import { loadAppConfig } from './config.js'

await runService(() => buildApp(loadAppConfig()))
