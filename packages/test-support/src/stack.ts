import { APPS, startWaves, type AppName } from '@shop/contracts'
import { startApp, type StartedApp } from './apps.js'
import { mongoUri, uniqueDatabaseName } from './database.js'

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
  /**
   * The *_URL variables that point an app at the stack's apps, as its own apps were started with: an app
   * started beside the stack takes them, overriding the one it must reach elsewhere.
   */
  urls(): Record<string, string>
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
    urls: () => ({ ...urls }),
    async stop() {
      const started = startWaves()
        .reverse()
        .flatMap((wave) => wave.flatMap((app) => apps[app] ?? []))
      const codes: (number | null)[] = []
      for (const app of started) codes.push(await app.stop())
      return codes
    },
  }
  try {
    // Apps that call others start once those are ready, so that they are ready with their neighbours.
    for (const starting of startWaves(options.apps)) {
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
      for (const app of starting) {
        const variable = (APPS[app] as { urlVariable?: string }).urlVariable
        if (variable) urls[variable] = apps[app]!.url
      }
    }
  } catch (error) {
    await stack.stop()
    throw error
  }
  return stack
}
