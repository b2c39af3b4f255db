import { existsSync } from 'node:fs'
import { APP_NAMES } from '@shop/contracts'
import {
  mongoUri,
  repoRoot,
  startApp as startAppNow,
  uniqueDatabaseName,
  type StartAppOptions,
  type StartedApp,
} from '@shop/test-support'
import { startMeshRouter, type MeshRouter } from './mesh-router.js'

/**
 * The whole shop, as real processes on one database server: both versions of product-catalog and of
 * order-management, with a mesh router in front of each deciding which version answers the BFF.
 *
 * - `catalogRouter` sends requests carrying `x-canary: v2` to v2 (the tester routing) and the others to
 *   `catalogDefault` (v1 unless a test says otherwise);
 * - `ordersRouter` sends everything to v1, except order placements while `faultyOrders` is set, which go
 *   to the faulty v2 (a deployment with no database, answering 500).
 */
export interface Stack {
  ui: StartedApp
  apps: Record<string, StartedApp>
  catalogRouter: MeshRouter
  ordersRouter: MeshRouter
  catalogDefault: 'v1' | 'v2'
  faultyOrders: boolean
  /** Starts another BFF on the same services, with extra settings. */
  startUi(env?: Record<string, string>): Promise<StartedApp>
  stop(): Promise<void>
}

/** Fails with the list of apps that are not built, rather than with a timeout. */
export function assertAppsBuilt(): void {
  const missing = APP_NAMES.filter((name) => !existsSync(`${repoRoot}apps/${name}/dist/server.js`))
  if (missing.length)
    throw new Error(`Build these apps first (npm run build -w @shop/<name>): ${missing.join(', ')}`)
}

/** Nine processes start at once on a shared 2-core machine: give each more than the usual 20 s. */
function startApp(name: string, options: StartAppOptions = {}): Promise<StartedApp> {
  return startAppNow(name, { timeoutMs: 60_000, ...options })
}

export async function startStack(uiEnv: Record<string, string> = {}): Promise<Stack> {
  assertAppsBuilt()
  const uri = await mongoUri()
  const database = (name: string) => ({ MONGODB_URI: uri, MONGODB_DATABASE: uniqueDatabaseName(name) })

  const [catalogV1, catalogV2, inventory, profile, shipping] = await Promise.all([
    startApp('product-catalog'),
    startApp('product-catalog', { env: { SERVICE_VERSION: 'v2', ...database('ui_catalog') } }),
    startApp('product-inventory', { env: database('ui_inventory') }),
    // The test's browsers and HTTP clients all come from 127.0.0.1: room for all of their sign-ins.
    startApp('profile-management', {
      env: { ...database('ui_profile'), AUTH_ATTEMPTS_PER_CLIENT_PER_MINUTE: '1000' },
    }),
    startApp('shipping-and-handling', { env: database('ui_shipping') }),
  ])
  const services = {
    PRODUCT_CATALOG_URL: catalogV1.url,
    PRODUCT_INVENTORY_URL: inventory.url,
    PROFILE_MANAGEMENT_URL: profile.url,
    SHIPPING_AND_HANDLING_URL: shipping.url,
  }
  const [support, ordersV1, ordersV2] = await Promise.all([
    startApp('contact-support-team', {
      env: { ...database('ui_support'), PROFILE_MANAGEMENT_URL: profile.url, TICKET_RATE_LIMIT_MAX: '1000' },
    }),
    startApp('order-management', { env: { ...services, ...database('ui_orders') } }),
    startApp('order-management', { env: { ...services, SERVICE_VERSION: 'v2' } }),
  ])

  const stack = { catalogDefault: 'v1', faultyOrders: false } as Stack
  const catalogRouter = await startMeshRouter(({ headers }) =>
    headers['x-canary'] === 'v2' || stack.catalogDefault === 'v2' ? catalogV2.url : catalogV1.url,
  )
  const ordersRouter = await startMeshRouter(({ method, url }) =>
    stack.faultyOrders && method === 'POST' && url.startsWith('/api/orders') ? ordersV2.url : ordersV1.url,
  )
  const uiServices = {
    ...services,
    PRODUCT_CATALOG_URL: catalogRouter.url,
    ORDER_MANAGEMENT_URL: ordersRouter.url,
    CONTACT_SUPPORT_TEAM_URL: support.url,
  }
  const started: StartedApp[] = []
  const startUi = async (env: Record<string, string> = {}) => {
    const ui = await startApp('ecommerce-ui', { env: { ...uiServices, ...uiEnv, ...env } })
    started.push(ui)
    return ui
  }
  const ui = await startUi()
  const apps = { catalogV1, catalogV2, inventory, profile, shipping, support, ordersV1, ordersV2 }
  return Object.assign(stack, {
    ui,
    apps,
    catalogRouter,
    ordersRouter,
    startUi,
    async stop() {
      await Promise.all([...started, ...Object.values(apps)].map((app) => app.stop()))
      await Promise.all([catalogRouter.close(), ordersRouter.close()])
    },
  })
}
