import { createService, databaseSettings, type ServiceApp } from '@shop/service-kit'
import type { Config } from './config.js'
import { Shipments } from './domain/shipments.js'
import { methodRoutes } from './routes/methods.js'
import { policyRoutes } from './routes/policy.js'
import { quoteRoutes } from './routes/quotes.js'
import { shipmentRoutes } from './routes/shipments.js'
import { MongoShipments } from './store/mongo-shipments.js'

/** `clock` is the only source of "now": quotes, delivery dates and statuses follow it. */
export async function buildApp(config: Config, clock: () => Date): Promise<ServiceApp> {
  const app = await createService({
    name: 'shipping-and-handling',
    description:
      'Shipping methods, deterministic quotes, shipments with tracking numbers (one per order), and the shipping policy.',
    config,
    database: databaseSettings(config, 'shipping_and_handling'),
  })

  const store = new MongoShipments(app.database!.db)
  app.database!.onSetup(() => store.setUp())

  await app.register(methodRoutes)
  await app.register(quoteRoutes, { clock })
  await app.register(shipmentRoutes, { shipments: new Shipments(store, clock) })
  await app.register(policyRoutes)
  return app
}
