import { createConnection, createServer } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'

/** A port nothing listens on right now (the kernel's pick), on the loopback address. */
export async function freePort(): Promise<number> {
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
