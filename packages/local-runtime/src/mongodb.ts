import { mkdirSync } from 'node:fs'

export interface EmbeddedMongo {
  readonly uri: string
  stop(): Promise<void>
}

/**
 * A MongoDB from mongodb-memory-server, for machines with neither MONGODB_URI nor FerretDB; its data
 * in `dbPath` when given (kept across runs), else in a temporary folder. Throws one line saying why
 * when the binary cannot be downloaded or the server does not start.
 */
export async function startEmbeddedMongo(options: { dbPath?: string } = {}): Promise<EmbeddedMongo> {
  const { MongoBinary, MongoMemoryServer } = await import('mongodb-memory-server')
  try {
    // Downloaded first on its own: a failed create() prints a long stack trace of its own.
    await MongoBinary.getPath()
  } catch (error) {
    throw new Error(`no MongoDB download: ${oneLine(error)}`, { cause: error })
  }
  try {
    if (options.dbPath) mkdirSync(options.dbPath, { recursive: true })
    const server = await MongoMemoryServer.create(
      options.dbPath ? { instance: { dbPath: options.dbPath, storageEngine: 'wiredTiger' } } : {},
    )
    return { uri: server.getUri(), stop: () => server.stop().then(() => {}) }
  } catch (error) {
    throw new Error(`the embedded MongoDB did not start: ${oneLine(error)}`, { cause: error })
  }
}

function oneLine(error: unknown): string {
  return String(error).replace(/\s*\n\s*/g, ' ')
}
