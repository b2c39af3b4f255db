import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createConnection, createServer } from 'node:net'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { stopProcessGroup } from './supervisor.js'

export interface RunningDatabase {
  uri: string
  /** Where the database comes from, for the start-up summary. */
  origin: string
  stop(): Promise<void>
}

/**
 * The database for a local run: MONGODB_URI when set; else an embedded server with its data under
 * `dataDir`: FerretDB when a binary is at hand (FERRETDB_BIN, or the one .ci/run built) or Go can build
 * one, else a MongoDB downloaded by mongodb-memory-server. Throws, saying why in one line, when none can.
 */
export async function provideDatabase(dataDir: string, repoRoot: string): Promise<RunningDatabase> {
  const configured = process.env.MONGODB_URI
  if (configured) return { uri: configured, origin: 'MONGODB_URI', stop: async () => {} }

  // The version lives in one file, read by .ci/run too, so both use (and build) the same binary.
  const version = readFileSync(join(repoRoot, '.ci', 'ferretdb-version'), 'utf8').trim()
  const cache = process.env.SHOP_CI_CACHE ?? join(homedir(), '.cache', 'service-mesh-shop')
  const cached = join(cache, `ferretdb-${version}`)
  let ferretdb = process.env.FERRETDB_BIN ?? (existsSync(cached) ? cached : undefined)
  if (!ferretdb && goIsAvailable()) ferretdb = await buildFerretDb(repoRoot, version, cached)
  if (ferretdb) return startFerretDb(ferretdb, join(dataDir, 'ferretdb'))

  const { MongoBinary, MongoMemoryServer } = await import('mongodb-memory-server')
  try {
    // Downloaded first on its own: a failed create() prints a long stack trace of its own.
    await MongoBinary.getPath()
  } catch (error) {
    throw new Error(`no FerretDB binary, and no MongoDB download: ${oneLine(error)}`, {
      cause: error,
    })
  }
  try {
    const dbPath = join(dataDir, 'mongodb')
    mkdirSync(dbPath, { recursive: true })
    const server = await MongoMemoryServer.create({ instance: { dbPath, storageEngine: 'wiredTiger' } })
    return {
      uri: server.getUri(),
      origin: `embedded MongoDB (data in ${dbPath})`,
      stop: () => server.stop().then(() => {}),
    }
  } catch (error) {
    throw new Error(`the embedded MongoDB did not start: ${oneLine(error)}`, { cause: error })
  }
}

function oneLine(error: unknown): string {
  return String(error).replace(/\s*\n\s*/g, ' ')
}

function goIsAvailable(): boolean {
  return spawnSync('go', ['version']).status === 0
}

/** Builds FerretDB with .ci/build-ferretdb (the same build as CI's), saying every 15 s that it still works. */
async function buildFerretDb(repoRoot: string, version: string, output: string): Promise<string | undefined> {
  console.log(`Building FerretDB ${version} with Go into ${output} (once; a few minutes on a cold Go cache)`)
  const started = Date.now()
  const build = spawn(join(repoRoot, '.ci', 'build-ferretdb'), [version, output], {
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  const ticker = setInterval(
    () => console.log(`  ...building FerretDB, ${Math.round((Date.now() - started) / 1000)} s`),
    15_000,
  )
  const code = await new Promise<number | null>((resolve) => build.once('exit', resolve))
  clearInterval(ticker)
  if (code === 0) return output
  console.error(`Building FerretDB failed (exit code ${code}); trying the embedded MongoDB instead`)
  return undefined
}

/**
 * Starts FerretDB in a process group of its own, with its pid in the data folder: a FerretDB left
 * running on that folder (its launcher was killed with SIGKILL) is stopped first, never doubled.
 */
async function startFerretDb(binary: string, dataDir: string): Promise<RunningDatabase> {
  mkdirSync(dataDir, { recursive: true })
  const pidFile = join(dataDir, 'ferretdb.pid')
  await stopOrphan(pidFile)
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
    { stdio: 'ignore', detached: true },
  )
  writeFileSync(pidFile, String(server.pid))
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
      if (server.exitCode === null && server.signalCode === null) {
        const exited = new Promise((resolve) => server.once('exit', resolve))
        stopProcessGroup(server.pid!)
        await exited
      }
      rmSync(pidFile, { force: true })
    },
  }
}

async function stopOrphan(pidFile: string): Promise<void> {
  if (!existsSync(pidFile)) return
  const pid = Number(readFileSync(pidFile, 'utf8'))
  if (isFerretDb(pid)) {
    console.log(`Stopping the FerretDB (pid ${pid}) an earlier run left on ${pidFile}`)
    stopProcessGroup(pid)
    const deadline = Date.now() + 10_000
    while (isFerretDb(pid) && Date.now() < deadline) await sleep(100)
  }
  rmSync(pidFile, { force: true })
}

/** Whether the process is alive and is FerretDB (a pid may have been reused since). */
function isFerretDb(pid: number): boolean {
  try {
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
    return command.includes('ferretdb') && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ')
  } catch {
    return false
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
