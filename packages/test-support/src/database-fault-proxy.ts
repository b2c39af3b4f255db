import { createServer, connect, type Socket } from 'node:net'

/** Which database command a fault hits: the command name and the collection it names. */
export interface CommandMatch {
  command: string
  collection?: string
  /** Hit only the n-th matching command from now (1 = the next one); then the fault is spent. */
  nth?: number
}

export type CommandFault =
  /** The connection is cut before the command reaches the database: it never runs. */
  | 'cut-before'
  /** The command runs, and the connection is cut before its answer reaches the caller. */
  | 'cut-after'

export interface DatabaseFaultProxy {
  /** A MongoDB URI that reaches the real server through the proxy. */
  readonly uri: string
  /** Cuts the matching command once (see CommandFault); answers when it has been hit. */
  fault(match: CommandMatch, fault: CommandFault): Promise<void>
  /** Holds matching commands this long before passing them on, until heal(). */
  delay(match: Omit<CommandMatch, 'nth'>, ms: number): void
  /** The database is down: every connection is cut and new ones are refused, until heal(). */
  outage(): void
  heal(): void
  /** The commands seen so far, as `command collection` (for tests that look for a write). */
  readonly seen: string[]
  close(): Promise<void>
}

const OP_MSG = 2013

/**
 * A TCP proxy in front of the real MongoDB (or FerretDB) server that reads the wire protocol's
 * OP_MSG frames, names each command by its first field (`insert: "orders"`), and can cut the
 * connection at one exact command, before or after the database ran it, or hold commands: faults at
 * one write of a saga, against the real database rather than a mock.
 */
export async function startDatabaseFaultProxy(targetUri: string): Promise<DatabaseFaultProxy> {
  const target = new URL(targetUri)
  const targetPort = Number(target.port || 27017)
  const connections = new Set<Socket>()
  let down = false
  let oneShot: { match: CommandMatch; fault: CommandFault; left: number; hit: () => void } | undefined
  let hold: { match: Omit<CommandMatch, 'nth'>; ms: number } | undefined
  const seen: string[] = []

  const server = createServer((client) => {
    if (down) return void client.destroy()
    const upstream = connect(targetPort, target.hostname)
    connections.add(client)
    connections.add(upstream)
    let cutOnAnswer = false
    let buffered = Buffer.alloc(0)
    let queue = Promise.resolve()
    const cut = () => {
      client.destroy()
      upstream.destroy()
    }
    client.on('close', () => {
      connections.delete(client)
      upstream.destroy()
    })
    upstream.on('close', () => {
      connections.delete(upstream)
      client.destroy()
    })
    client.on('error', cut)
    upstream.on('error', cut)
    upstream.on('data', (chunk) => {
      if (cutOnAnswer) return cut()
      client.write(chunk)
    })
    client.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk])
      while (buffered.length >= 4 && buffered.length >= buffered.readInt32LE(0)) {
        const frame = buffered.subarray(0, buffered.readInt32LE(0))
        buffered = buffered.subarray(frame.length)
        queue = queue.then(async () => {
          if (client.destroyed) return
          const name = commandOf(frame)
          if (name) seen.push(`${name.command} ${name.collection ?? ''}`.trim())
          if (name && hold && matches(hold.match, name))
            await new Promise((resolve) => setTimeout(resolve, hold!.ms))
          if (name && oneShot && matches(oneShot.match, name) && --oneShot.left === 0) {
            const { fault, hit } = oneShot
            oneShot = undefined
            hit()
            if (fault === 'cut-before') return cut()
            cutOnAnswer = true
          }
          if (down) return cut()
          upstream.write(frame)
        })
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port

  return {
    uri: `mongodb://127.0.0.1:${port}/`,
    seen,
    fault(match, fault) {
      return new Promise((hit) => {
        oneShot = { match, fault, left: match.nth ?? 1, hit }
      })
    },
    delay(match, ms) {
      hold = { match, ms }
    },
    outage() {
      down = true
      for (const socket of connections) socket.destroy()
    },
    heal() {
      down = false
      hold = undefined
      oneShot = undefined
    },
    async close() {
      for (const socket of connections) socket.destroy()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

function matches(match: Omit<CommandMatch, 'nth'>, name: { command: string; collection?: string }) {
  return match.command === name.command && (!match.collection || match.collection === name.collection)
}

/** The command of an OP_MSG frame: the name of its body's first field, and its value if a string. */
function commandOf(frame: Buffer): { command: string; collection?: string } | undefined {
  if (frame.length < 26 || frame.readInt32LE(12) !== OP_MSG || frame[20] !== 0) return undefined
  // header (16) + flagBits (4) + section kind (1) + document length (4) = first element's type at 25
  const type = frame[25]
  const nameEnd = frame.indexOf(0, 26)
  if (nameEnd < 0) return undefined
  const command = frame.toString('utf8', 26, nameEnd)
  if (type !== 0x02) return { command }
  const length = frame.readInt32LE(nameEnd + 1)
  return { command, collection: frame.toString('utf8', nameEnd + 5, nameEnd + 4 + length) }
}
