import { runService } from '@shop/service-kit'
import { buildApp } from './app.js'
import { loadUiConfig } from './config.js'

await runService(() => buildApp(loadUiConfig()))
