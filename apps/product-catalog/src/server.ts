import { runService } from '@shop/service-kit'
import { buildApp } from './app.js'
import { loadCatalogConfig } from './config.js'

await runService(() => buildApp(loadCatalogConfig()))
