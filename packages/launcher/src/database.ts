import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import {
  cachedFerretDbPath,
  ferretDbVersion,
  freePort,
  isFree,
  startEmbeddedMongo,
  startFerretDb,
  stopProcessGroup,
} from '@shop/local-runtime'

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

  // The version lives in one file, .ci/ferretdb-version, so .ci/run and this use (and build) the same binary.
  const cached = cachedFerretDbPath()
  let ferretdb = process.env.FERRETDB_BIN ?? (existsSync(cached) ? cached : undefined)
  if (!ferretdb && goIsAvailable()) ferretdb = await buildFerretDb(repoRoot, ferretDbVersion(), cached)
  if (ferretdb) return startOwnFerretDb(ferretdb, join(dataDir, 'ferretdb'))

  const dbPath = join(dataDir, 'mongodb')
  try {
    const server = await startEmbeddedMongo({ dbPath })
    return { ...server, origin: `embedded MongoDB (data in ${dbPath})` }
  } catch (error) {
    const reason = (error as Error).message
    throw new Error(reason.startsWith('no MongoDB download') ? `no FerretDB binary, and ${reason}` : reason, {
      cause: error,
    })
  }
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
 * Starts FerretDB with its pid in the data folder: a FerretDB left running on that folder (its
 * launcher was killed with SIGKILL) is stopped first, never doubled. MongoDB's own port when free.
 */
async function startOwnFerretDb(binary: string, dataDir: string): Promise<RunningDatabase> {
  const pidFile = join(dataDir, 'ferretdb.pid')
  await stopOrphan(pidFile)
  const port = (await isFree(27017)) ? 27017 : await freePort()
  const server = await startFerretDb({ binary, dataDir, port }).catch((error: unknown) => {
    throw new Error(`FerretDB (${binary}) did not start`, { cause: error })
  })
  writeFileSync(pidFile, String(server.child.pid))
  return {
    uri: server.uri,
    origin: `embedded FerretDB (data in ${dataDir})`,
    stop: async () => {
      await server.stop()
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
