import type { ChildProcess } from 'node:child_process'
import { createWriteStream, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { youngGenerationOf, type AppName } from '@shop/contracts'
import { appScript, spawnService, stopProcessGroup, waitForReady } from '@shop/local-runtime'
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
  options: { logDir: string; index: number; labelWidth: number },
): RunningInstance {
  mkdirSync(options.logDir, { recursive: true })
  const file = createWriteStream(join(options.logDir, `${instance.label}.log`), { flags: 'a' })
  const child = spawnService({
    script: appScript(instance.app),
    youngGenerationMiB: youngGenerationOf(instance.app),
    env: { HOST: '127.0.0.1', PORT: String(instance.port), ...instance.env },
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
export function waitUntilReady(instance: RunningInstance, timeoutMs: number): Promise<void> {
  return waitForReady(`http://127.0.0.1:${instance.port}`, {
    timeoutMs,
    intervalMs: 200,
    child: instance.child,
    label: instance.label,
  })
}

/** SIGTERM to every instance's process group; each finishes its in-flight requests and exits. */
export async function stopAll(instances: RunningInstance[]): Promise<void> {
  for (const instance of instances)
    if (instance.child.exitCode === null) stopProcessGroup(instance.child.pid!)
  await Promise.all(instances.map((instance) => instance.exited))
}
