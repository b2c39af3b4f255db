import { spawn } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { createConnection, createServer } from 'node:net'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

export interface RunningDatabase {
  uri: string
  /** Where the database comes from, for the start-up summary. */
  origin: string
  stop(): Promise<void>
}

/** The FerretDB that .ci/run builds, when this machine has one. */
const CACHED_FERRETDB = join(homedir(), '.cache', 'service-mesh-shop', 'ferretdb-v1.24.2')

/**
 * The database for a local run: MONGODB_URI when set; else an embedded server with its data under
 * `dataDir`: FerretDB when a binary is at hand (FERRETDB_BIN, or the one .ci/run built), else a
 * MongoDB downloaded by mongodb-memory-server. Undefined when none can start.
 */
export async function provideDatabase(dataDir: string): Promise<RunningDatabase | undefined> {
  const configured = process.env.MONGODB_URI
  if (configured) return { uri: configured, origin: 'MONGODB_URI', stop: async () => {} }

  const ferretdb = process.env.FERRETDB_BIN ?? (existsSync(CACHED_FERRETDB) ? CACHED_FERRETDB : undefined)
  if (ferretdb) return startFerretDb(ferretdb, join(dataDir, 'ferretdb'))

  try {
    const { MongoMemoryServer } = await import('mongodb-memory-server')
    const dbPath = join(dataDir, 'mongodb')
    mkdirSync(dbPath, { recursive: true })
    const server = await MongoMemoryServer.create({ instance: { dbPath, storageEngine: 'wiredTiger' } })
    return {
      uri: server.getUri(),
      origin: `embedded MongoDB (data in ${dbPath})`,
      stop: () => server.stop().then(() => {}),
    }
  } catch {
    return undefined
  }
}

async function startFerretDb(binary: string, dataDir: string): Promise<RunningDatabase> {
  mkdirSync(dataDir, { recursive: true })
  const port = (await isFree(27017)) ? 27017 : await anyFreePort()
  const server = spawn(
    binary,
    [
      '--handler=sqlite',
      `--sqlite-url=file:${dataDir}/`,
      `--state-dir=${dataDir}`,
      `--listen-addr=127.0.0.1:${port}`,
      '--debug-addr=127.0.0.1:0',
      '--telemetry=disable',
      '--log-level=warn',
    ],
    { stdio: 'ignore' },
  )
  const deadline = Date.now() + 15_000
  while (!(await accepts(port))) {
    if (server.exitCode !== null || Date.now() > deadline)
      throw new Error(`FerretDB (${binary}) did not start`)
    await sleep(100)
  }
  return {
    uri: `mongodb://127.0.0.1:${port}/`,
    origin: `embedded FerretDB (data in ${dataDir})`,
    stop: async () => {
      if (server.exitCode !== null) return
      server.kill('SIGTERM')
      await new Promise((resolve) => server.once('exit', resolve))
    },
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

/** The ports of the list that something already listens on. */
export async function portsInUse(ports: number[]): Promise<number[]> {
  const free = await Promise.all(ports.map(isFree))
  return ports.filter((_, index) => !free[index])
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}

async function anyFreePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}
