import { createRequire } from 'node:module'
import type { FastifyBaseLogger } from 'fastify'
import type * as Mongo from 'mongodb'
import type { Collection, CreateIndexesOptions, Db, Document, IndexSpecification, MongoClient } from 'mongodb'

// The driver is loaded when a service first connects, not when the kit is imported: an app without a
// database (product-catalog v1, the ecommerce-ui BFF) would otherwise carry it, about 10 MiB of
// resident memory (measured with packages/bench).
const require = createRequire(import.meta.url)

export interface DatabaseSettings {
  uri: string
  name: string
}

interface DatabaseEnv {
  MONGODB_URI?: string | undefined
  MONGODB_HOST?: string | undefined
  MONGODB_PORT: number
  MONGODB_DATABASE?: string | undefined
}

/**
 * The database a service is configured with, or undefined when none is: MONGODB_URI, or else
 * MONGODB_HOST and MONGODB_PORT (as the tutorial's manifests set them). The database name is the
 * service's own unless MONGODB_DATABASE names another, so one server URI can serve every service.
 */
export function databaseSettings(config: DatabaseEnv, defaultName: string): DatabaseSettings | undefined {
  const uri =
    config.MONGODB_URI ?? (config.MONGODB_HOST && `mongodb://${config.MONGODB_HOST}:${config.MONGODB_PORT}`)
  return uri ? { uri, name: config.MONGODB_DATABASE ?? defaultName } : undefined
}

export type SetupTask = (db: Db) => Promise<void>

const PING_TIMEOUT_MS = 1_000
const RETRY_DELAYS_MS = [250, 500, 1_000, 2_000, 5_000]

/**
 * The service's MongoDB connection. The service starts even when the server is unreachable: it
 * reports not-ready, keeps retrying its setup (indexes, seed data), and the driver reconnects on its
 * own when the server comes back.
 */
export class Database {
  readonly client: MongoClient
  readonly db: Db
  private readonly setupTasks: SetupTask[] = []
  private setupDone = false
  private closed = false
  private retryTimer: NodeJS.Timeout | undefined

  constructor(settings: DatabaseSettings, appName: string) {
    const { MongoClient } = require('mongodb') as typeof Mongo
    this.client = new MongoClient(settings.uri, {
      appName,
      serverSelectionTimeoutMS: 3_000,
      connectTimeoutMS: 3_000,
    })
    this.db = this.client.db(settings.name)
  }

  /** Registers work that must succeed once before the service is ready (run in order). */
  onSetup(task: SetupTask): void {
    this.setupTasks.push(task)
  }

  /** Runs the setup tasks in the background, retrying with back-off until they all succeed. */
  startSetup(log: FastifyBaseLogger): void {
    let attempt = 0
    const run = async () => {
      try {
        for (const task of this.setupTasks) await task(this.db)
        this.setupDone = true
        log.info({ database: this.db.databaseName }, 'database ready')
      } catch (error) {
        if (this.closed) return
        const delay = RETRY_DELAYS_MS[Math.min(attempt++, RETRY_DELAYS_MS.length - 1)]!
        log.warn({ err: error, retryInMs: delay }, 'database setup failed; retrying')
        this.retryTimer = setTimeout(run, delay)
      }
    }
    void run()
  }

  /** Readiness check: set up, and answering a ping within a second. */
  async check(): Promise<string | undefined> {
    if (!this.setupDone) return 'database setup has not completed'
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve('database did not answer a ping in time'), PING_TIMEOUT_MS)
    })
    const ping = this.db
      .command({ ping: 1 })
      .then(() => undefined)
      .catch((error: Error) => `database unreachable: ${error.message}`)
    try {
      return await Promise.race([ping, timeout])
    } finally {
      clearTimeout(timer)
    }
  }

  async close(): Promise<void> {
    this.closed = true
    clearTimeout(this.retryTimer)
    await this.client.close()
  }
}

/** True for MongoDB's duplicate key error, the signal that a unique insert lost a race. */
export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000
}

/**
 * Creates indexes one at a time. A single createIndexes command naming several indexes that already
 * exist makes FerretDB 1.24 drop the connection (a server-side panic), so a second start never got
 * ready; one index per command is idempotent on FerretDB and MongoDB alike.
 */
export async function ensureIndexes<Schema extends Document>(
  collection: Collection<Schema>,
  indexes: { key: IndexSpecification; options?: CreateIndexesOptions }[],
): Promise<void> {
  for (const { key, options } of indexes) await collection.createIndex(key, options ?? {})
}
