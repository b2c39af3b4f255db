import { createService, databaseSettings, type ServiceApp } from '@shop/service-kit'
import { jwksTokenVerifier, requireUser } from '@shop/service-kit/auth'
import { Upstream } from '@shop/service-kit/upstream'
import { MongoAPIError, MongoError, MongoServerError } from 'mongodb'
import { Counter } from 'prom-client'
import { CatalogClient } from './clients/catalog.js'
import { InventoryClient } from './clients/inventory.js'
import { ProfileClient } from './clients/profile.js'
import { ShippingClient } from './clients/shipping.js'
import type { Config } from './config.js'
import { RetryLaterError } from './domain/retry-later.js'
import { scheduleReconciler } from './reconciler.js'
import { cartRoutes } from './routes/cart.js'
import { requireData, type OrderData } from './routes/guards.js'
import { orderRoutes } from './routes/orders.js'
import { CartStore } from './store/carts.js'
import { CheckoutLog } from './store/checkouts.js'
import { listFirstVersionOrders } from './store/history-migration.js'
import { OrderStore } from './store/orders.js'

export async function buildApp(config: Config): Promise<ServiceApp> {
  const app = await createService({
    name: 'order-management',
    description:
      "Carts and orders. Without a database configured (the tutorial's faulty v2) it stays live and ready and answers every cart and order call with 500.",
    config,
    database: databaseSettings(config, 'order_management'),
  })

  let data: OrderData | undefined
  if (app.database) {
    const { db } = app.database
    data = { carts: new CartStore(db), orders: new OrderStore(db), checkouts: new CheckoutLog(db) }
    const { carts, orders, checkouts } = data
    app.database.onSetup(() => carts.setUp())
    app.database.onSetup(() => checkouts.setUp())
    app.database.onSetup(() => listFirstVersionOrders(db, orders, app.log))
  } else {
    app.log.warn('no database configured: every cart and order call will answer 500')
  }

  const upstream = (name: string, url: string, timeoutMs = config.UPSTREAM_TIMEOUT_MS) =>
    new Upstream(name, url, timeoutMs)
  const catalog = new CatalogClient(upstream('product-catalog', config.PRODUCT_CATALOG_URL))
  const inventory = new InventoryClient(
    upstream('product-inventory', config.PRODUCT_INVENTORY_URL, config.INVENTORY_TIMEOUT_MS),
  )
  const shipping = new ShippingClient(upstream('shipping-and-handling', config.SHIPPING_AND_HANDLING_URL))
  const profile = new ProfileClient(upstream('profile-management', config.PROFILE_MANAGEMENT_URL))
  const verifyToken = jwksTokenVerifier(`${config.PROFILE_MANAGEMENT_URL}/.well-known/jwks.json`)
  const ordersPlaced = new Counter({
    name: 'shop_orders_placed_total',
    help: 'Orders placed (repeats of an Idempotency-Key not counted)',
    registers: [app.metrics],
  })

  if (data) scheduleReconciler(app, { ...data, inventory, shipping }, config.RECONCILE_INTERVAL_MS)

  await app.register(async (shop) => {
    // The missing database answers first, before authentication or validation: every call fails alike.
    shop.addHook('onRequest', async () => void requireData(data))
    shop.setErrorHandler(async (error, _request, reply) => {
      const problem = isDatabaseUnavailable(error) ? databaseUnavailable(error) : error
      if (problem instanceof RetryLaterError) reply.header('retry-after', String(problem.retryAfterSeconds))
      // The service kit's handler answers it as a problem.
      throw problem
    })
    shop.addHook('onRequest', requireUser(verifyToken))
    await shop.register(cartRoutes, { data, catalog, shipping, profile })
    await shop.register(orderRoutes, {
      data,
      clients: { catalog, inventory, shipping, profile },
      timing: { leaseMs: config.CHECKOUT_LEASE_MS, waitMs: config.CHECKOUT_WAIT_MS },
      ordersPlaced,
    })
  })
  return app
}

/** The database did not answer (unreachable, connection cut): not a fault of the request or of the code. */
function isDatabaseUnavailable(error: unknown): error is MongoError {
  return error instanceof MongoError && !(error instanceof MongoServerError || error instanceof MongoAPIError)
}

function databaseUnavailable(error: MongoError): RetryLaterError {
  const problem = new RetryLaterError(503, 'The order database is not answering; try again shortly', {
    title: 'Database unavailable',
    slug: 'database-unavailable',
    retryAfterSeconds: 2,
  })
  problem.cause = error
  return problem
}
