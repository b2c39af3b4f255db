import { createService, type ServiceApp } from '@shop/service-kit'
import type { Config } from './config.js'
import { hideInternalEndpoints } from './plugins/internal-endpoints.js'
import { registerMesh } from './plugins/mesh.js'
import { registerPage } from './plugins/page.js'
import { registerSecurity } from './plugins/security.js'
import { authRoutes } from './routes/auth.js'
import { cartRoutes } from './routes/cart.js'
import { catalogRoutes } from './routes/catalog.js'
import { inventoryRoutes } from './routes/inventory.js'
import { meshStatsRoutes } from './routes/mesh-stats.js'
import { orderRoutes } from './routes/orders.js'
import { profileRoutes } from './routes/profile.js'
import { shippingRoutes } from './routes/shipping.js'
import { supportRoutes } from './routes/support.js'
import { createUpstreams } from './services.js'

export async function buildApp(config: Config): Promise<ServiceApp> {
  const app = await createService({
    name: 'ecommerce-ui',
    description:
      "The shop's page and its backend-for-frontend: a browser-facing /api/* that calls the six services " +
      'server-side, as the signed-in person (session cookie), protected against CSRF.',
    config,
  })

  hideInternalEndpoints(app)
  registerMesh(app, createUpstreams(config), config.JAEGER_UI_URL)
  const secure = config.SECURE_COOKIES === 'auto' ? 'auto' : config.SECURE_COOKIES === 'true'
  await registerSecurity(app, { secure })

  await app.register(catalogRoutes)
  await app.register(inventoryRoutes)
  await app.register(shippingRoutes)
  await app.register(authRoutes, { attemptsPerMinute: config.AUTH_RATE_LIMIT_PER_MINUTE })
  await app.register(profileRoutes)
  await app.register(cartRoutes)
  await app.register(orderRoutes)
  await app.register(supportRoutes)
  await app.register(meshStatsRoutes, {
    loadgenUrl: config.LOADGEN_URL,
    timeoutMs: config.UPSTREAM_TIMEOUT_MS,
  })
  await registerPage(app)
  return app
}
