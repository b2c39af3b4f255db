import {
  createService,
  databaseSettings,
  jwksTokenVerifier,
  requireUser,
  Upstream,
  type ServiceApp,
} from '@shop/service-kit'
import { Counter } from 'prom-client'
import { CatalogClient } from './clients/catalog.js'
import { InventoryClient } from './clients/inventory.js'
import { ProfileClient } from './clients/profile.js'
import { ShippingClient } from './clients/shipping.js'
import type { Config } from './config.js'
import { cartRoutes } from './routes/cart.js'
import { requireData, type OrderData } from './routes/guards.js'
import { orderRoutes } from './routes/orders.js'
import { CartStore } from './store/carts.js'
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
    data = { carts: new CartStore(app.database.db), orders: new OrderStore(app.database.db) }
    const { carts, orders } = data
    app.database.onSetup(() => carts.setUp())
    app.database.onSetup(() => orders.setUp())
  } else {
    app.log.warn('no database configured: every cart and order call will answer 500')
  }

  const upstream = (name: string, url: string) => new Upstream(name, url, config.UPSTREAM_TIMEOUT_MS)
  const catalog = new CatalogClient(upstream('product-catalog', config.PRODUCT_CATALOG_URL))
  const inventory = new InventoryClient(upstream('product-inventory', config.PRODUCT_INVENTORY_URL))
  const shipping = new ShippingClient(upstream('shipping-and-handling', config.SHIPPING_AND_HANDLING_URL))
  const profile = new ProfileClient(upstream('profile-management', config.PROFILE_MANAGEMENT_URL))
  const verifyToken = jwksTokenVerifier(`${config.PROFILE_MANAGEMENT_URL}/.well-known/jwks.json`)
  const ordersPlaced = new Counter({
    name: 'shop_orders_placed_total',
    help: 'Orders placed (repeats of an Idempotency-Key not counted)',
    registers: [app.metrics],
  })

  await app.register(async (shop) => {
    // The missing database answers first, before authentication or validation: every call fails alike.
    shop.addHook('onRequest', async () => void requireData(data))
    shop.addHook('onRequest', requireUser(verifyToken))
    await shop.register(cartRoutes, { data, catalog, shipping, profile })
    await shop.register(orderRoutes, {
      data,
      clients: { catalog, inventory, shipping, profile },
      ordersPlaced,
    })
  })
  return app
}
