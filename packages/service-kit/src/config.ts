import { APPS, clusterUrlOf, urlVariableOf, type AppName } from '@shop/contracts'
import { Type, type Static, type TObject, type TProperties, type TString } from '@shop/contracts/typebox'
import { settingsValidator, type SettingsIssue } from './settings.js'
import { faultConfigProperties } from './plugins/faults.js'

/** Variables every service reads (docs/architecture.md#2-configuration). */
export function serviceConfigProperties(defaults: { port: number }) {
  return {
    PORT: Type.Integer({ minimum: 0, maximum: 65535, default: defaults.port }),
    HOST: Type.String({ minLength: 1, default: '0.0.0.0' }),
    SERVICE_VERSION: Type.Enum(['v1', 'v2'], { default: 'v1' }),
    LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { default: 'info' }),
    /** Time between SIGTERM (readiness turns 503) and closing the listener, for endpoints to drain. */
    SHUTDOWN_DELAY_MS: Type.Integer({ minimum: 0, maximum: 60_000, default: 0 }),
    /** Longest wait for in-flight requests after the listener closes; then the process exits 1. */
    SHUTDOWN_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 120_000, default: 20_000 }),
    /**
     * Proxies in front of the service that append to X-Forwarded-For and are trusted to: the client
     * address (rate limits) is that many hops back. 0: the connection's own peer; what a client writes
     * in X-Forwarded-For itself is never trusted.
     */
    TRUSTED_PROXY_HOPS: Type.Integer({ minimum: 0, maximum: 10, default: 0 }),
    ...faultConfigProperties,
  }
}

/** Where the service's MongoDB is: a full URI, or the host/port/database trio of the tutorial's manifests. */
export const databaseConfigProperties = {
  MONGODB_URI: Type.Optional(Type.String({ pattern: '^mongodb(\\+srv)?://' })),
  MONGODB_HOST: Type.Optional(Type.String({ minLength: 1 })),
  MONGODB_PORT: Type.Integer({ minimum: 1, maximum: 65535, default: 27017 }),
  MONGODB_DATABASE: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,63}$' })),
}

/** Timeout of every call to another service; failing fast beats a pile of waiting requests. */
export const upstreamTimeoutProperty = {
  UPSTREAM_TIMEOUT_MS: Type.Integer({ minimum: 50, maximum: 60_000, default: 3_000 }),
}

/** Upstream base URL variable, defaulting to the in-cluster service name. */
function upstreamUrl(defaultUrl: string) {
  return Type.String({ pattern: '^https?://[^\\s]+[^/\\s]$', default: defaultUrl })
}

/** The base URL variables of the services an app calls (the registry's `calls`), e.g. `PRODUCT_CATALOG_URL`. */
type UpstreamUrlProperties<App extends AppName> = {
  [Name in (typeof APPS)[App]['calls'][number] as ReturnType<typeof urlVariableOf<Name>>]: TString
}

interface AppConfigOptions {
  /** Where its MongoDB is (databaseConfigProperties). */
  database?: boolean
  /** The timeout of its calls to other services (upstreamTimeoutProperty). */
  upstreamTimeout?: boolean
}

type AppConfigProperties<App extends AppName, Options extends AppConfigOptions> = ReturnType<
  typeof serviceConfigProperties
> &
  UpstreamUrlProperties<App> &
  (Options['database'] extends true ? typeof databaseConfigProperties : unknown) &
  (Options['upstreamTimeout'] extends true ? typeof upstreamTimeoutProperty : unknown)

/**
 * The kit's variables for an app of the registry (packages/contracts/src/apps.ts): every service's, PORT
 * defaulting to the app's port; a URL variable for each app it calls, defaulting to that app's in-cluster
 * URL; and, as asked, the database's and the calls' timeout. The app's `src/config.ts` adds its own.
 */
export function appConfigProperties<App extends AppName, const Options extends AppConfigOptions>(
  app: App,
  options: Options,
): AppConfigProperties<App, Options> {
  const calls: readonly (typeof APPS)[AppName]['calls'][number][] = APPS[app].calls
  return {
    ...serviceConfigProperties(APPS[app]),
    ...(options.database ? databaseConfigProperties : {}),
    ...(options.upstreamTimeout ? upstreamTimeoutProperty : {}),
    ...Object.fromEntries(calls.map((name) => [urlVariableOf(name), upstreamUrl(clusterUrlOf(name))])),
  } as AppConfigProperties<App, Options>
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

export interface LoadConfigOptions<Config> {
  /**
   * For a service whose data lives only in its database: no database configured stops the start-up with
   * one line, rather than a service that runs and fails every request. `when` and `reason` narrow it to
   * some configurations (product-catalog needs one only as v2).
   */
  requireDatabase?: boolean | { when: (config: Config) => boolean; reason: string }
}

function requireDatabaseConfig(config: Record<string, unknown>, reason: string): void {
  if (!config.MONGODB_URI && !config.MONGODB_HOST)
    throw new ConfigError(
      `Invalid configuration: MONGODB_URI or MONGODB_HOST is required${reason && ` ${reason}`}`,
    )
}

const SECRET_NAME = /URI|PASSWORD|SECRET|KEY|TOKEN/i

/**
 * Reads the schema's variables from the environment, with defaults and type conversion. A missing or
 * malformed value throws a ConfigError whose message is one line naming the variable.
 */
export function loadConfig<Properties extends TProperties>(
  schema: TObject<Properties>,
  env: NodeJS.ProcessEnv = process.env,
  options: LoadConfigOptions<Static<TObject<Properties>>> = {},
): Static<TObject<Properties>> {
  const config: Record<string, unknown> = Object.fromEntries(
    Object.keys(schema.properties)
      .filter((name) => env[name] !== undefined && env[name] !== '')
      .map((name) => [name, env[name]]),
  )
  const error = settingsValidator(schema, { coerceTypes: true })(config)
  if (error) {
    const name = error.instancePath.replace(/^\//, '') || String(error.params.missingProperty ?? '')
    const raw = env[name]
    const shown =
      raw === undefined
        ? 'it is not set'
        : SECRET_NAME.test(name)
          ? 'got a value'
          : `got ${JSON.stringify(raw)}`
    throw new ConfigError(`Invalid configuration: ${name} ${describe(error)} (${shown})`)
  }
  const loaded = config as Static<TObject<Properties>>
  const { requireDatabase } = options
  if (requireDatabase === true) requireDatabaseConfig(config, '')
  else if (requireDatabase && requireDatabase.when(loaded))
    requireDatabaseConfig(config, requireDatabase.reason)
  return loaded
}

function describe(error: SettingsIssue): string {
  if (error.keyword === 'required') return 'is required'
  if (error.keyword === 'enum')
    return `must be one of ${(error.params.allowedValues as unknown[]).join(', ')}`
  return error.message
}
