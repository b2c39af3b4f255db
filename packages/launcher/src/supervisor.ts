import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { setTimeout as sleep } from 'node:timers/promises'
import type { AppName } from '@shop/contracts'
import { formatLine } from './log-format.js'

export interface Instance {
  /** Label in the logs and the summary: `product-catalog`, or `product-catalog-v2`. */
  label: string
  app: AppName
  version: 'v1' | 'v2'
  port: number
  env: Record<string, string | undefined>
}

export interface RunningInstance extends Instance {
  child: ChildProcess
  exited: Promise<number | null>
}

/** Starts an app as production does, and prints its log lines condensed and prefixed; raw JSON goes to a file. */
export function startInstance(
  instance: Instance,
  options: { repoRoot: string; logDir: string; index: number; labelWidth: number },
): RunningInstance {
  mkdirSync(options.logDir, { recursive: true })
  const file = createWriteStream(join(options.logDir, `${instance.label}.log`), { flags: 'a' })
  const env: NodeJS.ProcessEnv = { ...process.env, HOST: '127.0.0.1', PORT: String(instance.port) }
  for (const [name, value] of Object.entries(instance.env)) {
    if (value === undefined) delete env[name]
    else env[name] = value
  }
  const child = spawn(process.execPath, ['--import', '@shop/tracing/register', 'dist/server.js'], {
    cwd: join(options.repoRoot, 'apps', instance.app),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // A process group of its own: the launcher alone decides when apps stop (a Ctrl-C to the terminal's
    // group reaches it, not them), and stopping the group stops anything the app started.
    detached: true,
  })
  const color = Boolean(process.stdout.isTTY)
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => {
      file.write(`${line}\n`)
      console.log(formatLine(instance.label, options.index, options.labelWidth, line, color))
    })
  }
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      file.end()
      resolve(code)
    }),
  )
  return { ...instance, child, exited }
}

/** Resolves when /readyz answers 200, rejects if the process exits or the time runs out. */
export async function waitUntilReady(instance: RunningInstance, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let last = 'no answer'
  while (Date.now() < deadline) {
    if (instance.child.exitCode !== null)
      throw new Error(`${instance.label} exited with code ${instance.child.exitCode}`)
    try {
      const response = await fetch(`http://127.0.0.1:${instance.port}/readyz`)
      if (response.ok) return
      last = ((await response.json()) as { detail?: string }).detail ?? String(response.status)
    } catch (error) {
      last = String((error as Error).cause ?? error)
    }
    await sleep(200)
  }
  throw new Error(`${instance.label} not ready after ${timeoutMs / 1000} s: ${last}`)
}

/** SIGTERM to every instance's process group; each finishes its in-flight requests and exits. */
export async function stopAll(instances: RunningInstance[]): Promise<void> {
  for (const instance of instances)
    if (instance.child.exitCode === null) stopProcessGroup(instance.child.pid!)
  await Promise.all(instances.map((instance) => instance.exited))
}

/** Sends the signal to the process group led by `pid` (started with `detached: true`), if it still exists. */
export function stopProcessGroup(pid: number, signal: NodeJS.Signals = 'SIGTERM'): void {
  try {
    process.kill(-pid, signal)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error
  }
}
