import { startApp, type StartedApp } from './apps.js'
import { mongoUri, uniqueDatabaseName } from './database.js'

export const APP_NAMES = [
  'product-catalog',
  'product-inventory',
  'profile-management',
  'shipping-and-handling',
  'contact-support-team',
  'order-management',
  'ecommerce-ui',
] as const
export type AppName = (typeof APP_NAMES)[number]

/** The variable through which the other apps find each app. */
export const URL_VARIABLES: Record<Exclude<AppName, 'ecommerce-ui'>, string> = {
  'product-catalog': 'PRODUCT_CATALOG_URL',
  'product-inventory': 'PRODUCT_INVENTORY_URL',
  'profile-management': 'PROFILE_MANAGEMENT_URL',
  'shipping-and-handling': 'SHIPPING_AND_HANDLING_URL',
  'contact-support-team': 'CONTACT_SUPPORT_TEAM_URL',
  'order-management': 'ORDER_MANAGEMENT_URL',
}

/** Apps that call others start after them, so that they are ready with their neighbours. */
const START_WAVES: AppName[][] = [
  ['product-catalog', 'product-inventory', 'profile-management', 'shipping-and-handling'],
  ['contact-support-team', 'order-management'],
  ['ecommerce-ui'],
]

export interface StackOptions {
  apps: readonly AppName[]
  /** Extra environment per app (SERVICE_VERSION, OTEL_*...); an undefined value unsets the variable. */
  env?: Partial<Record<AppName, Record<string, string | undefined>>>
  /** Environment given to every app. */
  commonEnv?: Record<string, string | undefined>
}

export interface Stack {
  readonly apps: Partial<Record<AppName, StartedApp>>
  url(app: AppName): string
  /** SIGTERM to every app, in reverse start order; resolves with their exit codes. */
  stop(): Promise<(number | null)[]>
}

/**
 * Starts several apps of the shop as real processes, each with a database of its own on the test
 * server, wired to each other through their *_URL variables.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const uri = await mongoUri()
  const prefix = uniqueDatabaseName('stack')
  const apps: Partial<Record<AppName, StartedApp>> = {}
  const urls: Record<string, string> = {}
  const stack: Stack = {
    apps,
    url(app) {
      const started = apps[app]
      if (!started) throw new Error(`${app} is not part of this stack`)
      return started.url
    },
    async stop() {
      const started = [...START_WAVES].reverse().flatMap((wave) => wave.flatMap((app) => apps[app] ?? []))
      const codes: (number | null)[] = []
      for (const app of started) codes.push(await app.stop())
      return codes
    },
  }
  try {
    for (const wave of START_WAVES) {
      const starting = wave.filter((app) => options.apps.includes(app))
      await Promise.all(
        starting.map(async (app) => {
          apps[app] = await startApp(app, {
            env: {
              MONGODB_URI: uri,
              MONGODB_DATABASE: `${prefix}_${app.replaceAll('-', '_')}`,
              ...urls,
              ...options.commonEnv,
              ...options.env?.[app],
            },
          })
        }),
      )
      for (const app of starting) if (app !== 'ecommerce-ui') urls[URL_VARIABLES[app]] = apps[app]!.url
    }
  } catch (error) {
    await stack.stop()
    throw error
  }
  return stack
}
