import { runService } from '@shop/service-kit'
import { buildApp } from './app.js'
import { loadOrderConfig } from './config.js'

await runService(() => buildApp(loadOrderConfig()))
