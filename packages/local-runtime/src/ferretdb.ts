import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, openSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { repoRoot, stopProcessGroup } from './apps.js'
import { freePort, waitForPort } from './ports.js'

/** The FerretDB version the shop is tested on, written once in `.ci/ferretdb-version`. */
export function ferretDbVersion(): string {
  return readFileSync(join(repoRoot, '.ci', 'ferretdb-version'), 'utf8').trim()
}

/** Where `.ci/run` (and the launcher) build and keep that version's binary. */
export function cachedFerretDbPath(): string {
  const cache = process.env.SHOP_CI_CACHE ?? join(homedir(), '.cache', 'service-mesh-shop')
  return join(cache, `ferretdb-${ferretDbVersion()}`)
}

/**
 * FerretDB's command line: SQLite files and state under `dataDir`, listening on the loopback port only,
 * no telemetry, no debug server (nothing reads it, and its port, the kernel's pick, could be one another
 * process was given and has not bound yet), warnings only.
 */
export function ferretDbArgs(dataDir: string, port: number): string[] {
  return [
    '--handler=sqlite',
    `--sqlite-url=file:${dataDir}/`,
    `--state-dir=${dataDir}`,
    `--listen-addr=127.0.0.1:${port}`,
    '--debug-addr=-',
    '--telemetry=disable',
    '--log-level=warn',
  ]
}

export interface RunningFerretDb {
  readonly uri: string
  readonly port: number
  readonly child: ChildProcess
  /** SIGTERM to its process group; resolves once it has exited. */
  stop(): Promise<void>
}

/**
 * Starts FerretDB in a process group of its own (it outlives nothing it should not: `stop` ends the
 * group) and resolves once it accepts connections.
 */
export async function startFerretDb(options: {
  binary: string
  dataDir: string
  /** Default: any free port. */
  port?: number
  /** Where its output goes (appended); default: nowhere. */
  logFile?: string
}): Promise<RunningFerretDb> {
  mkdirSync(options.dataDir, { recursive: true })
  const port = options.port ?? (await freePort())
  const output = options.logFile ? openSync(options.logFile, 'a') : 'ignore'
  const child = spawn(options.binary, ferretDbArgs(options.dataDir, port), {
    stdio: ['ignore', output, output],
    detached: true,
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const gone = () => child.exitCode !== null || child.signalCode !== null
  await waitForPort(port, { gone, what: `FerretDB (${options.binary})` })
  return {
    uri: `mongodb://127.0.0.1:${port}/`,
    port,
    child,
    async stop() {
      if (gone()) return
      stopProcessGroup(child.pid!)
      await exited
    },
  }
}
