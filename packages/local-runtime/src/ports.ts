import { readFileSync } from 'node:fs'
import { createConnection, createServer } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'

/**
 * A port nothing listens on right now, on the loopback address, picked at random below the kernel's
 * ephemeral range. Whoever asks for a port usually binds it a moment later, and a container seconds
 * later: meanwhile the kernel hands ports of its range to every `listen(0)` and outgoing connection on
 * the machine, so a port it once picked here could be taken by then (in a CI run a docker-compose
 * service's port answered with a FerretDB debug server's 303, most likely for that reason).
 */
export async function freePort(): Promise<number> {
  const below = ephemeralPortsStart()
  for (let attempt = 0; attempt < 20 && below > LOWEST_PORT; attempt++) {
    const port = LOWEST_PORT + Math.floor(Math.random() * (below - LOWEST_PORT))
    if (!MONGODB_PORTS.includes(port) && (await isFree(port))) return port
  }
  return kernelsPick()
}

/** Above the ports of well-known developer tools (8080, 8088, 9090...). */
const LOWEST_PORT = 20_000
/** MongoDB's own, which `npm start` takes for its database when it is free. */
const MONGODB_PORTS = [27_017, 27_018, 27_019]

/** The first port of the kernel's ephemeral range (Linux), or 0 where it cannot be read. */
function ephemeralPortsStart(): number {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 0
  } catch {
    return 0
  }
}

async function kernelsPick(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** Whether this process could listen on the port. */
export function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}

/** The ports of the list that something already listens on. */
export async function portsInUse(ports: number[]): Promise<number[]> {
  const free = await Promise.all(ports.map(isFree))
  return ports.filter((_, index) => !free[index])
}

/** Whether something accepts connections on the loopback port. */
export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

/**
 * Resolves once something accepts connections on the port; rejects when `gone()` says the server's
 * process has ended, or after `timeoutMs`.
 */
export async function waitForPort(
  port: number,
  options: { timeoutMs?: number; gone?: () => boolean; what?: string } = {},
): Promise<void> {
  const { timeoutMs = 15_000, gone = () => false, what = `port ${port}` } = options
  const deadline = Date.now() + timeoutMs
  while (!(await accepts(port))) {
    if (gone()) throw new Error(`${what} exited before it listened on port ${port}`)
    if (Date.now() > deadline)
      throw new Error(`nothing listens on port ${port} after ${timeoutMs} ms (${what})`)
    await sleep(100)
  }
}
