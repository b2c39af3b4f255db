import { runService } from '@shop/service-kit'
import { buildApp } from './app.js'
import { loadProfileConfig } from './config.js'

await runService(() => buildApp(loadProfileConfig()))
