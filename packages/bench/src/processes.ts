import type { ChildProcess } from 'node:child_process'
import { openSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { appScript, freePort, repoRoot, spawnService, waitForReady } from '@shop/local-runtime'
import { youngGenerationOf } from '@shop/contracts'
import { baseEnv } from '@shop/test-support'

export interface Launched {
  readonly label: string
  readonly url: string
  readonly child: ChildProcess
  /** Milliseconds from spawn to the first 200 on /readyz. */
  readonly readyMs: number
  /** Its stdout and stderr. */
  readonly logFile: string
  stop(): Promise<void>
}

export interface LaunchOptions {
  label: string
  /** The service's script; it runs in its own folder. */
  script: string
  /** Load the tracing package first, as the images do. */
  traced: boolean
  /** Its young generation in MiB (default 1; an app's own, from the registry). */
  youngGenerationMiB?: number
  env?: Record<string, string | undefined>
  /** Folder for the process's stdout and stderr (one file each, not piped: a minute of request logs). */
  logDir: string
}

/**
 * Starts a Node process on a free port and waits for /readyz. Its output goes to a file, as a
 * container's would: the app pays for its logs, the bench does not read them.
 */
export async function launch(options: LaunchOptions): Promise<Launched> {
  const port = await freePort()
  const logFile = join(options.logDir, `${options.label}.log`)
  const output = openSync(logFile, 'a')
  const started = performance.now()
  const child = spawnService({
    script: options.script,
    youngGenerationMiB: options.youngGenerationMiB,
    traced: options.traced,
    baseEnv: baseEnv(),
    env: { PORT: String(port), HOST: '127.0.0.1', ...options.env },
    stdio: ['ignore', output, output],
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const url = `http://127.0.0.1:${port}`
  try {
    await waitForReady(url, { timeoutMs: 60_000, intervalMs: 10, child })
  } catch (error) {
    child.kill('SIGKILL')
    throw new Error(`${(error as Error).message}\n${readFileSync(logFile, 'utf8').slice(-2000)}`, {
      cause: error,
    })
  }
  const readyMs = performance.now() - started
  return {
    label: options.label,
    url,
    child,
    readyMs,
    logFile,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGKILL')
      await exited
    },
  }
}

/**
 * An app of the shop, started as its image starts it (the Dockerfile's CMD, heap flags included).
 * Resolves once the app has also collected its start-up garbage, which it does a second after it is
 * first ready (the service kit's runService): so that the next app's start does not share the cores
 * with that collection, and idle figures are read after it.
 */
export async function launchApp(
  app: string,
  options: { label?: string; env?: Record<string, string | undefined>; logDir: string },
): Promise<Launched> {
  const launched = await launch({
    label: options.label ?? app,
    script: appScript(app),
    youngGenerationMiB: youngGenerationOf(app),
    traced: true,
    env: { LOG_LEVEL: 'info', SHUTDOWN_DELAY_MS: '0', ...options.env },
    logDir: options.logDir,
  })
  await waitForLogLine(launched, 'start-up garbage collected', 10_000)
  return launched
}

async function waitForLogLine(launched: Launched, text: string, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs
  while (!readFileSync(launched.logFile, 'utf8').includes(text)) {
    if (performance.now() > deadline) {
      await launched.stop()
      throw new Error(`${launched.label} did not log "${text}" within ${timeoutMs} ms`)
    }
    await sleep(50)
  }
}

/** One of the bench's own baseline servers (fixtures/), with no tracing loaded. */
export function launchFixture(
  script: string,
  options: { label: string; env?: Record<string, string | undefined>; logDir: string },
): Promise<Launched> {
  return launch({
    label: options.label,
    script: join(repoRoot, 'packages/bench/fixtures', script),
    traced: false,
    env: options.env,
    logDir: options.logDir,
  })
}

/** Resident memory of the process, in MiB (VmRSS of /proc/<pid>/status, in KiB). */
export function rssMb(child: ChildProcess): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8')
  const kilobytes = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? Number.NaN)
  return kilobytes / 1024
}
