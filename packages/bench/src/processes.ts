import { spawn, type ChildProcess } from 'node:child_process'
import { openSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { baseEnv, freePort, repoRoot } from '@shop/test-support'

export interface Launched {
  readonly label: string
  readonly url: string
  readonly child: ChildProcess
  /** Milliseconds from spawn to the first 200 on /readyz. */
  readonly readyMs: number
  stop(): Promise<void>
}

export interface LaunchOptions {
  label: string
  /** Arguments to `node`, the script last. */
  args: string[]
  cwd: string
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
  const env = Object.fromEntries(
    Object.entries({ ...baseEnv(), PORT: String(port), HOST: '127.0.0.1', ...options.env }).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    ),
  )
  const started = performance.now()
  const child = spawn(process.execPath, options.args, {
    cwd: options.cwd,
    env,
    stdio: ['ignore', output, output],
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const url = `http://127.0.0.1:${port}`
  await waitForReady(url, child, logFile)
  const readyMs = performance.now() - started
  return {
    label: options.label,
    url,
    child,
    readyMs,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGKILL')
      await exited
    },
  }
}

/**
 * An app of the shop, started as its image starts it (the Dockerfile's CMD):
 * `node --max-semi-space-size=1 --max-old-space-size=128 --import @shop/tracing/register dist/server.js`.
 */
export function launchApp(
  app: string,
  options: { label?: string; env?: Record<string, string | undefined>; logDir: string },
): Promise<Launched> {
  return launch({
    label: options.label ?? app,
    args: [
      '--max-semi-space-size=1',
      '--max-old-space-size=128',
      '--import',
      '@shop/tracing/register',
      'dist/server.js',
    ],
    cwd: join(repoRoot, 'apps', app),
    env: { LOG_LEVEL: 'info', SHUTDOWN_DELAY_MS: '0', ...options.env },
    logDir: options.logDir,
  })
}

/** One of the bench's own baseline servers (fixtures/), with no tracing loaded. */
export function launchFixture(
  script: string,
  options: { label: string; env?: Record<string, string | undefined>; logDir: string },
): Promise<Launched> {
  return launch({
    label: options.label,
    args: [join(repoRoot, 'packages/bench/fixtures', script)],
    cwd: join(repoRoot, 'packages/bench'),
    env: options.env,
    logDir: options.logDir,
  })
}

async function waitForReady(url: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`${url} exited before it was ready:\n${readFileSync(logFile, 'utf8').slice(-2000)}`)
    try {
      const response = await fetch(`${url}/readyz`)
      await response.arrayBuffer()
      if (response.ok) return
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  child.kill('SIGKILL')
  throw new Error(`${url} not ready after 60 s:\n${readFileSync(logFile, 'utf8').slice(-2000)}`)
}

/** Resident memory of the process, in MiB (VmRSS of /proc/<pid>/status, in KiB). */
export function rssMb(child: ChildProcess): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8')
  const kilobytes = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? Number.NaN)
  return kilobytes / 1024
}
