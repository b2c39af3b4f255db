// The shop's apps, written once (docs/architecture.md#1-the-system-at-a-glance): the launcher, the test
// stack, the bench, the BFF, the apps' default upstream URLs, the image build and the manifest tests read
// them from here. No imports, so that `tsx` runs it before anything is built (scripts/build-images.sh).

/** The seven apps of the shop, in the tutorial's names and ports. */
export const APPS = {
  'product-catalog': {
    port: 3001,
    /** `npm start -- --v2` runs a second instance as v2 here; in Kubernetes and compose v2 uses `port`. */
    v2Port: 3011,
    urlVariable: 'PRODUCT_CATALOG_URL',
    /**
     * Every page lists products, each answer a large JSON text: with 2 MiB, a traced catalog under load
     * promotes 40% fewer bytes to the old generation and scavenges half as often, for about 0.5 MiB
     * more idle memory (packages/bench/README.md).
     */
    youngGenerationMiB: 2,
    calls: [],
  },
  'product-inventory': { port: 3002, urlVariable: 'PRODUCT_INVENTORY_URL', calls: [] },
  'profile-management': { port: 3003, urlVariable: 'PROFILE_MANAGEMENT_URL', calls: [] },
  'shipping-and-handling': { port: 8080, urlVariable: 'SHIPPING_AND_HANDLING_URL', calls: [] },
  /** It verifies signed-in ticket writers' tokens against profile-management's JWKS. */
  'contact-support-team': {
    port: 8000,
    urlVariable: 'CONTACT_SUPPORT_TEAM_URL',
    calls: ['profile-management'],
  },
  'order-management': {
    port: 9090,
    /** The tutorial's faulty v2 (no database) when `npm start -- --v2`. */
    v2Port: 9091,
    urlVariable: 'ORDER_MANAGEMENT_URL',
    calls: ['product-catalog', 'product-inventory', 'shipping-and-handling', 'profile-management'],
  },
  /** The page and its backend (BFF): the only app the browser reaches. */
  'ecommerce-ui': {
    port: 4000,
    /**
     * Every page's API calls pass through it, each answer read and parsed: with the 1 MiB of the
     * others, the garbage collector took 40% of its CPU under load (packages/bench/README.md).
     */
    youngGenerationMiB: 4,
    calls: [
      'product-catalog',
      'product-inventory',
      'profile-management',
      'order-management',
      'shipping-and-handling',
      'contact-support-team',
    ],
  },
} as const satisfies Record<string, AppDefinition>

interface AppDefinition {
  port: number
  v2Port?: number
  /** The variable through which the apps that call this one find it (none for the UI: nothing calls it). */
  urlVariable?: string
  /** The apps this one calls, by name. */
  calls: readonly string[]
  /**
   * V8's young generation (`--max-semi-space-size`) of its process, in MiB: 1 unless said here. Small
   * keeps an idle app small; an app that allocates much per request pays for it in garbage collection.
   */
  youngGenerationMiB?: number
}

export type AppName = keyof typeof APPS
export const APP_NAMES = Object.keys(APPS) as AppName[]

/** The apps that other apps call: every one but the UI. */
export type ServiceName = {
  [Name in AppName]: (typeof APPS)[Name] extends { urlVariable: string } ? Name : never
}[AppName]
export const SERVICE_NAMES = APP_NAMES.filter((name): name is ServiceName => 'urlVariable' in APPS[name])

/** The apps an app calls. */
export function callsOf(name: AppName): readonly ServiceName[] {
  return APPS[name].calls
}

/** The variable holding a service's base URL, e.g. `PRODUCT_CATALOG_URL`. */
export function urlVariableOf<Name extends ServiceName>(name: Name): (typeof APPS)[Name]['urlVariable'] {
  return APPS[name].urlVariable
}

/** A service's base URL inside the cluster (and in compose): its Service name and port. */
export function clusterUrlOf(name: ServiceName): string {
  return `http://${name}:${APPS[name].port}`
}

/**
 * The apps in waves, each calling only apps of earlier waves: start a wave once the one before is
 * ready, and stop them in reverse, so that no app runs while what it calls is missing.
 */
export function startWaves(names: readonly AppName[] = APP_NAMES): AppName[][] {
  const waves: AppName[][] = []
  const placed = new Set<AppName>()
  let left = [...names]
  while (left.length) {
    const wave = left.filter((name) =>
      callsOf(name).every((callee) => placed.has(callee) || !names.includes(callee)),
    )
    if (!wave.length) throw new Error(`the calls of ${left.join(', ')} go round in a circle`)
    waves.push(wave)
    for (const name of wave) placed.add(name)
    left = left.filter((name) => !placed.has(name))
  }
  return waves
}

/** The load generator: an eighth app, run beside the shop; it calls the UI like a browser. */
export const LOADGEN = { name: 'loadgen', port: 8089, calls: ['ecommerce-ui'] } as const

/** The young generation, in MiB, of an app's process (`--max-semi-space-size`): 1 unless the registry says. */
export function youngGenerationOf(app: string): number {
  const definition = (APPS as Record<string, AppDefinition>)[app]
  return definition?.youngGenerationMiB ?? 1
}

/** Every image `scripts/build-images.sh` builds: each app as v1, plus v2 of the apps that have one. */
export const IMAGES: readonly {
  app: string
  port: number
  version: 'v1' | 'v2'
  youngGenerationMiB: number
}[] = [
  ...APP_NAMES.flatMap((app) => {
    const { port } = APPS[app]
    const youngGenerationMiB = youngGenerationOf(app)
    return [
      { app, port, version: 'v1' as const, youngGenerationMiB },
      ...('v2Port' in APPS[app] ? [{ app, port, version: 'v2' as const, youngGenerationMiB }] : []),
    ]
  }),
  {
    app: LOADGEN.name,
    port: LOADGEN.port,
    version: 'v1',
    youngGenerationMiB: youngGenerationOf(LOADGEN.name),
  },
]
