import { existsSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { APP_NAMES, APPS, IMAGES, LOADGEN } from '@shop/contracts'
import type { TObject } from 'typebox'
import { repoRoot } from './objects.js'

/**
 * The port each Deployment serves on, the load generator's included, as the app registry has them
 * (packages/contracts/src/apps.ts).
 */
export const PORTS: Record<string, number> = {
  ...Object.fromEntries(APP_NAMES.map((name) => [name, APPS[name].port])),
  [LOADGEN.name]: LOADGEN.port,
}

/** The Deployments of the full build: one per image the registry lists (`loadgen` has no version suffix). */
export const DEPLOYMENT_NAMES = IMAGES.map((image) =>
  image.app === LOADGEN.name ? LOADGEN.name : `${image.app}-${image.version}`,
)

/** Where an image's app lives in the repository, by image name (`product-catalog:v2` -> apps/product-catalog). */
export function appDirOfImage(image: string): string {
  const name = image.replace(/^.*\//, '').replace(/:.*$/, '')
  return `apps/${name}`
}

export interface AppConfigModule {
  ConfigSchema: TObject
  /** The app's loader (`loadAppConfig`): the schema plus the app's extra rules. */
  load: (env: NodeJS.ProcessEnv) => unknown
}

/**
 * An app's configuration module, as built (`<appDir>/dist/config.js`). Fails, naming what is missing,
 * when the app or its build is not there: a Deployment whose variables cannot be checked must not pass.
 */
export async function appConfig(appDir: string): Promise<AppConfigModule> {
  const file = `${repoRoot}${appDir}/dist/config.js`
  if (!existsSync(`${repoRoot}${appDir}/src/config.ts`))
    throw new Error(
      `${appDir}/src/config.ts does not exist: the manifests deploy an app whose configuration is unknown`,
    )
  if (!existsSync(file))
    throw new Error(`${appDir}/dist/config.js is missing: build the app (npm run build) before these tests`)
  const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>
  const schema = module.ConfigSchema as TObject | undefined
  if (!schema?.properties) throw new Error(`${appDir}/dist/config.js does not export ConfigSchema`)
  const load = module.loadAppConfig
  if (typeof load !== 'function') throw new Error(`${appDir}/dist/config.js does not export loadAppConfig`)
  return { ConfigSchema: schema, load: load as AppConfigModule['load'] }
}

/**
 * Variables read by the tracing package (packages/tracing), not by the app's schema: the standard
 * OpenTelemetry ones docs/architecture.md#2-configuration lists.
 */
export const TRACING_VARIABLES = [
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  'OTEL_EXPORTER_OTLP_PROTOCOL',
  'OTEL_TRACES_EXPORTER',
  'OTEL_TRACES_SAMPLER',
  'OTEL_TRACES_SAMPLER_ARG',
  'OTEL_SDK_DISABLED',
  'OTEL_SERVICE_NAME',
  'OTEL_RESOURCE_ATTRIBUTES',
]
