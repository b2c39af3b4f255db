import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ferretDbArgs, freePort, startEmbeddedMongo, waitForPort } from '@shop/local-runtime'
import { MongoClient, type Db } from 'mongodb'
import { startProcess, type StartedProcess } from './process.js'

let embedded: Promise<string> | undefined

/**
 * The MongoDB-protocol server the tests run against: MONGODB_URI when set (CI starts FerretDB and
 * sets it). On a developer machine without it, an embedded MongoDB from mongodb-memory-server.
 */
export function mongoUri(): Promise<string> {
  const configured = process.env.MONGODB_URI
  if (configured) return Promise.resolve(configured)
  embedded ??= embeddedMongoUri()
  return embedded
}

async function embeddedMongoUri(): Promise<string> {
  try {
    return (await startEmbeddedMongo()).uri
  } catch (error) {
    throw new Error(
      `No MONGODB_URI is set and an embedded MongoDB could not start (${String(error)}). ` +
        'Set MONGODB_URI to a MongoDB or FerretDB server, or run the tests with .ci/run.',
      { cause: error },
    )
  }
}

/** A database name no other test uses, so tests never see each other's data. */
export function uniqueDatabaseName(prefix: string): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`
}

export interface TestDatabase {
  uri: string
  name: string
  /** To read and write the database directly, as the app's own store would. */
  db: Db
  /** MONGODB_URI and MONGODB_DATABASE, to start an app on it. */
  env: Record<string, string>
  /** Drops the database and closes the client. */
  drop(): Promise<void>
}

/** A fresh database of the test's own on the test server, and a client to read it directly. */
export async function testDatabase(prefix: string): Promise<TestDatabase> {
  const uri = await mongoUri()
  const name = uniqueDatabaseName(prefix)
  const client = new MongoClient(uri)
  const db = client.db(name)
  return {
    uri,
    name,
    db,
    env: { MONGODB_URI: uri, MONGODB_DATABASE: name },
    async drop() {
      await db.dropDatabase().catch(() => undefined)
      await client.close()
    },
  }
}

export interface DisposableDatabase {
  readonly uri: string
  stop(): Promise<void>
  /** Starts the server again on the same port with the same data. */
  restart(): Promise<void>
  remove(): Promise<void>
}

/**
 * A database server of the test's own, which the test may stop and start (to check readiness and
 * recovery). Needs FERRETDB_BIN, which .ci/run sets to the FerretDB it built.
 */
export async function startDisposableDatabase(): Promise<DisposableDatabase> {
  const binary = process.env.FERRETDB_BIN
  if (!binary)
    throw new Error('FERRETDB_BIN is not set: run the tests with .ci/run, or point it at a ferretdb binary')
  const port = await freePort()
  const dataDir = mkdtempSync(join(tmpdir(), 'ferretdb-test-'))
  let server: StartedProcess | undefined
  const start = async () => {
    const started = startProcess({
      command: binary,
      args: ferretDbArgs(dataDir, port),
      label: 'ferretdb',
    })
    server = started
    await waitForPort(port, { gone: () => started.child.exitCode !== null, what: 'ferretdb' })
  }
  await start()
  return {
    uri: `mongodb://127.0.0.1:${port}/`,
    async stop() {
      await server?.stop('SIGTERM')
    },
    restart: start,
    async remove() {
      await server?.stop('SIGTERM')
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
