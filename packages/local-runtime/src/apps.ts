import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))

/** The entry point of an app of the shop, as built. */
export function appScript(app: string): string {
  return join(repoRoot, 'apps', app, 'dist', 'server.js')
}

export interface SpawnServiceOptions {
  /** The service's script; it runs in its own folder. */
  script: string
  /** The app's young generation in MiB (`youngGenerationOf` in @shop/contracts; default 1). */
  youngGenerationMiB?: number
  /** Load the tracing package before the script, as every image does (default true). */
  traced?: boolean
  /** Laid over `baseEnv` (default: this process's environment); an undefined value unsets the variable. */
  env?: Record<string, string | undefined>
  baseEnv?: NodeJS.ProcessEnv
  stdio?: StdioOptions
  /** A process group of its own, to stop it with everything it started (`stopProcessGroup`). */
  detached?: boolean
}

/**
 * The heap settings of an app's image (the Dockerfile's NODE_OPTIONS and CMD): the app's young
 * generation (1 MiB but for the catalog's 2 and the BFF's 4, from the registry) and a 128 MiB old
 * one keep an idle app near 100 MiB and under 180 MiB after load (measured with `npm run bench`).
 * V8's allocation-site pretenuring is off: under load it took objects of a traced request for
 * long-lived and tenured them, so the traced catalog promoted 1,350 bytes per request to the old
 * generation instead of 80 and collected it with mark-compacts (packages/bench/README.md).
 */
export function heapFlags(youngGenerationMiB = 1): string[] {
  return [
    `--max-semi-space-size=${youngGenerationMiB}`,
    '--max-old-space-size=128',
    '--no-allocation-site-pretenuring',
  ]
}

/**
 * The environment the image gives every app (the Dockerfile's ENV): glibc's malloc makes an arena per
 * thread that allocates, up to 8 per core; two keep an idle app about 2 MiB smaller (the BFF 99.1
 * against 101.0-101.5 MiB, one start each, packages/bench/README.md).
 */
export const IMAGE_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' }

/**
 * Starts a service as its image starts it: `node <heap flags> --import @shop/tracing/register <script>`
 * (tracing must load before the app, or its modules are not instrumented), configured only by the
 * environment, with the image's own variables ({@link IMAGE_ENV}) under it.
 */
export function spawnService(options: SpawnServiceOptions): ChildProcess {
  const tracing = options.traced === false ? [] : ['--import', '@shop/tracing/register']
  const args = [...heapFlags(options.youngGenerationMiB), ...tracing, options.script]
  return spawn(process.execPath, args, {
    cwd: dirname(options.script),
    env: environment({ ...IMAGE_ENV, ...(options.baseEnv ?? process.env) }, options.env ?? {}),
    stdio: options.stdio ?? ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  })
}

/** `base` with `overrides` laid over it; an undefined override removes the variable. */
export function environment(
  base: NodeJS.ProcessEnv,
  overrides: Record<string, string | undefined>,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base }
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[name]
    else env[name] = value
  }
  return env
}

export interface WaitForReadyOptions {
  timeoutMs: number
  /** Pause between two probes. */
  intervalMs?: number
  /** The service's process: an exit ends the wait at once, with its code. */
  child?: ChildProcess
  /** Names the service in errors. */
  label?: string
}

/**
 * Resolves when `GET <url>/readyz` answers 200. Rejects, with the last answer (the readiness
 * problem's detail, or the connection error), when the process exits or the time runs out.
 */
export async function waitForReady(url: string, options: WaitForReadyOptions): Promise<void> {
  const { timeoutMs, intervalMs = 100, child, label = url } = options
  const deadline = Date.now() + timeoutMs
  let last = 'no answer'
  while (Date.now() < deadline) {
    if (child && (child.exitCode !== null || child.signalCode !== null))
      throw new Error(`${label} exited with code ${child.exitCode ?? child.signalCode} before it was ready`)
    try {
      const response = await fetch(`${url}/readyz`)
      const body = await response.text()
      if (response.ok) return
      last = `${response.status} ${detailOf(body)}`
    } catch (error) {
      last = String((error as Error).cause ?? error)
    }
    await sleep(intervalMs)
  }
  throw new Error(`${label} not ready after ${timeoutMs / 1000} s: ${last}`)
}

function detailOf(body: string): string {
  try {
    return (JSON.parse(body) as { detail?: string }).detail ?? body
  } catch {
    return body
  }
}

/** Sends the signal to the process group led by `pid` (started with `detached: true`), if it still exists. */
export function stopProcessGroup(pid: number, signal: NodeJS.Signals = 'SIGTERM'): void {
  try {
    process.kill(-pid, signal)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error
  }
}
