import { products } from '@shop/catalog-data'
import { createService, databaseSettings, type ServiceApp } from '@shop/service-kit'
import type { Config } from './config.js'
import type { CatalogStore } from './domain/catalog.js'
import { categoryRoutes } from './routes/categories.js'
import { imageRoutes } from './routes/images.js'
import { productRoutes } from './routes/products.js'
import { MemoryCatalog } from './store/memory-catalog.js'
import { MongoCatalog } from './store/mongo-catalog.js'

export async function buildApp(config: Config): Promise<ServiceApp> {
  const v2 = config.SERVICE_VERSION === 'v2'
  const app = await createService({
    name: 'product-catalog',
    description: v2
      ? 'Products and categories from MongoDB, with ratings and the rating sort (v2).'
      : 'Products and categories from the built-in catalog (v1).',
    config,
    // v1 holds the catalog in memory and never touches a database, whatever is configured.
    database: v2 ? databaseSettings(config, 'product_catalog') : undefined,
  })

  let store: CatalogStore = new MemoryCatalog(products)
  if (app.database) {
    const catalog = new MongoCatalog(app.database.db)
    app.database.onSetup(() => catalog.setUp(products))
    store = catalog
  }

  await app.register(productRoutes, { store, withRatings: v2 })
  await app.register(categoryRoutes, { store })
  await app.register(imageRoutes)
  return app
}
