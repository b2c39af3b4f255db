import { products } from '@shop/catalog-data'
import { createService, databaseSettings, type ServiceApp } from '@shop/service-kit'
import type { Config } from './config.js'
import { Reservations } from './domain/reservations.js'
import { StockLedger } from './domain/stock-ledger.js'
import { inventoryRoutes } from './routes/inventory.js'
import { reservationRoutes } from './routes/reservations.js'
import { MongoLedger } from './store/mongo-ledger.js'
import { MongoReservationRecords } from './store/mongo-reservations.js'
import { scheduleSweeps } from './sweeper.js'

export async function buildApp(config: Config): Promise<ServiceApp> {
  const app = await createService({
    name: 'product-inventory',
    description:
      "Stock per product on an append-only ledger, and reservations of an order's items: all or none, " +
      'idempotent by order id, never overselling.',
    config,
    database: databaseSettings(config, 'product_inventory'),
  })
  // loadAppConfig guarantees a database.
  const database = app.database!

  const ledgerStore = new MongoLedger(database.db)
  const records = new MongoReservationRecords(database.db)
  const ledger = new StockLedger(ledgerStore)
  const reservations = new Reservations(ledger, records, { timeoutMs: config.RESERVATION_TIMEOUT_MS })
  database.onSetup(async () => {
    await ledgerStore.setUp()
    await records.setUp()
    await ledger.seed(products)
  })
  scheduleSweeps(app, reservations, config.RESERVATION_SWEEP_INTERVAL_MS)

  await app.register(inventoryRoutes, { ledger })
  await app.register(reservationRoutes, { reservations })
  return app
}
