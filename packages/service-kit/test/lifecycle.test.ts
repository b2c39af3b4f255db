import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, describe, expect, it } from 'vitest'
import {
  startDisposableDatabase,
  startService,
  type DisposableDatabase,
  type StartedApp,
} from '@shop/test-support'

const demoService = fileURLToPath(new URL('fixtures/demo-service.mjs', import.meta.url))

async function readiness(url: string): Promise<number> {
  return (await fetch(`${url}/readyz`)).status
}

/** The demo service started against its database, stopped first: it listens but is not ready. */
async function startWithDatabaseDown(database: DisposableDatabase): Promise<StartedApp> {
  await database.stop()
  return startService(demoService, { env: { MONGODB_URI: database.uri }, waitUntilReady: false })
}

async function waitForReadiness(url: string, status: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while ((await readiness(url)) !== status) {
    if (Date.now() > deadline) throw new Error(`readiness never became ${status}`)
    await sleep(200)
  }
}

describe('graceful shutdown', () => {
  it('lets an in-flight request finish with 200 after SIGTERM, then exits 0', async () => {
    const service = await startService(demoService, { env: { SHUTDOWN_DELAY_MS: '300' } })
    const inFlight = fetch(`${service.url}/slow?ms=1500`)
    await sleep(200)
    service.child.kill('SIGTERM')
    await sleep(100)
    // During the drain delay the service still answers, and says it is not ready.
    expect(await readiness(service.url)).toBe(503)

    const response = await inFlight
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ slept: 1500, greeting: 'hello' })
    expect(await service.exited).toBe(0)
    expect(service.output.some((line) => line.includes('"msg":"stopped"'))).toBe(true)
  })
})

describe('graceful shutdown without a log reader', () => {
  it('exits 0 on SIGTERM after the reader of its stdout is gone (broken pipe)', async () => {
    const service = await startService(demoService, { env: { SHUTDOWN_DELAY_MS: '0' } })
    service.child.stdout!.destroy()
    // Every log line from now on is written into a broken pipe.
    expect((await fetch(`${service.url}/slow?ms=1`)).status).toBe(200)
    // stop() sends SIGKILL after 10 s, which would resolve with null instead of 0.
    expect(await service.stop('SIGTERM', 10_000)).toBe(0)
  })
})

describe('logs', () => {
  it('writes JSON lines carrying requestId, traceId and spanId', async () => {
    const service = await startService(demoService)
    await fetch(`${service.url}/slow?ms=1`, { headers: { 'x-request-id': 'log-check' } })
    await service.waitForLine((line) => line.includes('log-check'))
    await service.stop()
    const line = JSON.parse(service.output.find((text) => text.includes('log-check'))!)
    expect(line).toMatchObject({ service: 'demo', version: 'v1', requestId: 'log-check', statusCode: 200 })
    expect(line.traceId).toMatch(/^[0-9a-f]{32}$/)
    expect(line.spanId).toMatch(/^[0-9a-f]{16}$/)
  })
})

describe('readiness follows the database', () => {
  let database: DisposableDatabase | undefined

  afterAll(() => database?.remove())

  it('is 503 while the database is down and recovers without a restart', async () => {
    database = await startDisposableDatabase()
    const service = await startService(demoService, { env: { MONGODB_URI: database.uri } })
    expect(await readiness(service.url)).toBe(200)

    await database.stop()
    await waitForReadiness(service.url, 503)
    const problem = (await (await fetch(`${service.url}/readyz`)).json()) as {
      checks: Record<string, string>
    }
    expect(problem.checks.database).toMatch(/database/)
    expect(await (await fetch(`${service.url}/healthz`)).json()).toEqual({ status: 'ok' })

    await database.restart()
    await waitForReadiness(service.url, 200)
    expect(await service.stop()).toBe(0)
  })

  it('starts without its database, reports not ready, and becomes ready when the database appears', async () => {
    database = await startDisposableDatabase()
    const service = await startWithDatabaseDown(database)
    expect(await readiness(service.url)).toBe(503)
    await database.restart()
    await waitForReadiness(service.url, 200, 20_000)
    expect(await service.stop()).toBe(0)
  })

  it('is ready with no database configured', async () => {
    const service = await startService(demoService)
    expect(await readiness(service.url)).toBe(200)
    await service.stop()
  })
})

describe('start-up garbage', () => {
  let database: DisposableDatabase | undefined

  afterAll(() => database?.remove())

  it('is collected once, when the service is first ready: not before its database is set up', async () => {
    database = await startDisposableDatabase()
    const service = await startWithDatabaseDown(database)
    const collections = () => service.output.filter((line) => line.includes('start-up garbage collected'))
    await sleep(500)
    expect(await readiness(service.url)).toBe(503)
    expect(collections()).toHaveLength(0)

    await database.restart()
    const line = await service.waitForLine((text) => text.includes('start-up garbage collected'), 20_000)
    expect(await readiness(service.url)).toBe(200)
    const collected = JSON.parse(line) as Record<string, number>
    expect(collected.heapUsedAfterMiB).toBeGreaterThan(0)
    expect(collected.heapUsedAfterMiB).toBeLessThan(collected.heapUsedBeforeMiB!)

    expect((await fetch(`${service.url}/slow?ms=1`)).status).toBe(200)
    await sleep(300)
    expect(collections()).toHaveLength(1)
    expect(await service.stop()).toBe(0)
  })
})
