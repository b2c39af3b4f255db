import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startProcess, type StartedProcess } from './process.js'

/** Generous: several test files start a dozen processes at once on two shared cores. */
const DEFAULT_START_TIMEOUT_MS = 45_000

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))

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
  return startService(`${repoRoot}apps/${name}/dist/server.js`, { ...options, label: name })
}

/** Starts any service script the way apps start: tracing loaded first, PORT=0, logs captured. */
export async function startService(
  script: string,
  options: StartAppOptions & { label?: string } = {},
): Promise<StartedApp> {
  const started = startProcess({
    command: process.execPath,
    args: ['--import', '@shop/tracing/register', script],
    cwd: dirname(script),
    env: definedOnly({ ...baseEnv(), PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...options.env }),
    label: options.label ?? script,
  })
  const timeoutMs = options.timeoutMs ?? DEFAULT_START_TIMEOUT_MS
  const line = await started.waitForLine((text) => text.includes('Server listening at'), timeoutMs)
  const url = /Server listening at (http:\/\/[^"\s]+)/.exec(line)![1]!
  const app = Object.assign(started, { url })
  if (options.waitUntilReady ?? true) await waitForReady(url, timeoutMs)
  return app
}

export async function waitForReady(url: string, timeoutMs = DEFAULT_START_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let last = ''
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${url}/readyz`)
      if (response.ok) return
      last = `${response.status} ${await response.text()}`
    } catch (error) {
      last = String(error)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms: ${last}`)
}

function definedOnly(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined))
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
