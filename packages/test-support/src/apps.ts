import { appScript, spawnService, waitForReady as waitForReadyz } from '@shop/local-runtime'
import { youngGenerationOf } from '@shop/contracts'
import { trackProcess, type StartedProcess } from './process.js'

/** Generous: several test files start a dozen processes at once on two shared cores. */
const DEFAULT_START_TIMEOUT_MS = 45_000

export interface StartedApp extends StartedProcess {
  /** Base URL the app listens on, e.g. http://127.0.0.1:41234 */
  readonly url: string
}

export interface StartAppOptions {
  env?: Record<string, string | undefined>
  /** Wait until /readyz answers 200 (default) or only until the port is open. */
  waitUntilReady?: boolean
  timeoutMs?: number
}

/**
 * Starts an app exactly as production does (`node --import @shop/tracing/register dist/server.js`
 * in its folder), on a free port, configured only by the environment.
 */
export function startApp(name: string, options: StartAppOptions = {}): Promise<StartedApp> {
  return startService(appScript(name), {
    ...options,
    label: name,
    youngGenerationMiB: youngGenerationOf(name),
  })
}

/** Starts any service script the way apps start: tracing loaded first, PORT=0, logs captured. */
export async function startService(
  script: string,
  options: StartAppOptions & { label?: string; youngGenerationMiB?: number } = {},
): Promise<StartedApp> {
  const started = trackProcess(
    spawnService({
      script,
      youngGenerationMiB: options.youngGenerationMiB,
      baseEnv: baseEnv(),
      env: { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...options.env },
    }),
    options.label ?? script,
  )
  const timeoutMs = options.timeoutMs ?? DEFAULT_START_TIMEOUT_MS
  const line = await started.waitForLine((text) => text.includes('Server listening at'), timeoutMs)
  const url = /Server listening at (http:\/\/[^"\s]+)/.exec(line)![1]!
  const app = Object.assign(started, { url })
  if (options.waitUntilReady ?? true) await waitForReady(url, timeoutMs)
  return app
}

export function waitForReady(url: string, timeoutMs = DEFAULT_START_TIMEOUT_MS): Promise<void> {
  return waitForReadyz(url, { timeoutMs })
}

/** The test runner's environment without anything that would leak into an app under test. */
export function baseEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env }
  for (const name of Object.keys(env)) {
    if (/^(OTEL_|VITEST|MONGODB_)/.test(name) || name === 'NODE_OPTIONS' || name === 'TEST') delete env[name]
  }
  env.NODE_ENV = 'production'
  return env
}
