import { request as httpRequest } from 'node:http'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  callJson,
  expectProblem,
  startOtlpCapture,
  startProcess,
  startService,
  baseEnv,
  type StartedApp,
} from '@shop/test-support'

const demoService = fileURLToPath(new URL('fixtures/demo-service.mjs', import.meta.url))
const TOKEN = 'lab-token-0123456789abcdef'

/** The value of faults_injected_total for a kind and route, 0 when the series does not exist yet. */
async function injected(service: StartedApp, kind: string, route: string): Promise<number> {
  const text = await (await fetch(`${service.url}/metrics`)).text()
  const line = text
    .split('\n')
    .find(
      (candidate) =>
        candidate.startsWith('faults_injected_total{') &&
        candidate.includes(`kind="${kind}"`) &&
        candidate.includes(`route="${route}"`),
    )
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0
}

const probes = ['/healthz', '/readyz', '/metrics', '/openapi.json']

describe('fault controls set by FAULTS', () => {
  let service: StartedApp

  beforeAll(async () => {
    service = await startService(demoService, {
      env: {
        FAULTS: JSON.stringify([
          { route: '/slow', latencyMs: 300, jitterMs: 50 },
          { route: '/sl*', errorStatus: 503 },
        ]),
      },
    })
  })
  afterAll(() => service?.stop())

  it('delays matching requests, and says so in a header, a log line with the request id and a counter', async () => {
    const started = performance.now()
    const response = await fetch(`${service.url}/slow?ms=0`, {
      headers: { 'x-request-id': 'fault-latency-1' },
    })
    const elapsed = performance.now() - started
    expect(response.status).toBe(200)
    expect(elapsed).toBeGreaterThanOrEqual(295)
    const shown = response.headers.get('x-fault-injected')
    expect(shown).toMatch(/^latency=(\d+)ms$/)
    const delay = Number(/\d+/.exec(shown!)![0])
    expect(delay).toBeGreaterThanOrEqual(300)
    expect(delay).toBeLessThanOrEqual(350)

    const line = await service.waitForLine(
      (text) => text.includes('fault-latency-1') && text.includes('fault injected'),
    )
    expect(JSON.parse(line)).toMatchObject({
      level: 'warn',
      requestId: 'fault-latency-1',
      fault: { kind: 'latency', rule: '/slow', delayMs: delay },
    })
    expect(await injected(service, 'latency', '/slow')).toBe(1)
  })

  it('answers the first matching rule only: /slow is slow, not failed; a later rule catches /sleep', async () => {
    const before = await injected(service, 'error', 'unmatched')
    const answer = await callJson(`${service.url}/sleep`)
    expectProblem(answer, 503)
    expect(answer.body).toMatchObject({ type: 'urn:shop:problem:injected-fault' })
    expect(answer.headers.get('x-fault-injected')).toBe('error=503')
    expect(answer.headers.get('x-served-by')).toBe('demo/v1')
    expect(await injected(service, 'error', 'unmatched')).toBe(before + 1)
  })

  it('never touches health, readiness, metrics or the API description', async () => {
    for (const path of probes) {
      const response = await fetch(`${service.url}${path}`)
      expect(response.status, path).toBe(200)
      expect(response.headers.get('x-fault-injected'), path).toBeNull()
    }
  })
})

describe('error share', () => {
  it('fails about errorPercent of the matching requests, with the status asked for', async () => {
    const service = await startService(demoService, {
      env: { FAULTS: '[{"route":"*","errorStatus":500,"errorPercent":30}]' },
    })
    const statuses: number[] = []
    for (let i = 0; i < 200; i++) statuses.push((await fetch(`${service.url}/slow?ms=0`)).status)
    const failed = statuses.filter((status) => status === 500).length
    // Binomial(200, 0.3): mean 60, standard deviation 6.5; 30..90 is more than four deviations either way.
    expect(failed).toBeGreaterThan(30)
    expect(failed).toBeLessThan(90)
    expect(statuses.filter((status) => status !== 500).every((status) => status === 200)).toBe(true)
    expect(await injected(service, 'error', '/slow')).toBe(failed)
    await service.stop()
  })
})

describe('hang', () => {
  it('never answers until the client gives up, and does not hold up a graceful shutdown', async () => {
    const service = await startService(demoService, {
      env: { FAULTS: '[{"route":"/slow","hangPercent":100}]', SHUTDOWN_TIMEOUT_MS: '20000' },
    })
    const gaveUp = await fetch(`${service.url}/slow?ms=0`, { signal: AbortSignal.timeout(800) }).then(
      () => 'answered',
      (error: Error) => error.name,
    )
    expect(gaveUp).toBe('TimeoutError')
    expect(await injected(service, 'hang', '/slow')).toBe(1)
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200)

    // A client that would wait for ever: the shutdown cuts it and still exits 0, well within the timeout.
    const waiting = new Promise<string>((resolve) => {
      const call = httpRequest(`${service.url}/slow?ms=0`, (response) =>
        resolve(`status ${response.statusCode}`),
      )
      call.on('error', (error) => resolve(`error ${(error as NodeJS.ErrnoException).code}`))
      call.end()
    })
    while ((await injected(service, 'hang', '/slow')) < 2)
      await new Promise((resolve) => setTimeout(resolve, 50))
    const stopped = performance.now()
    expect(await service.stop('SIGTERM')).toBe(0)
    expect(performance.now() - stopped).toBeLessThan(10_000)
    expect(await waiting).toMatch(/^error /)
  })
})

describe('PUT /admin/faults', () => {
  let service: StartedApp

  beforeAll(async () => {
    service = await startService(demoService, { env: { FAULT_ADMIN_TOKEN: TOKEN } })
  })
  afterAll(() => service?.stop())

  const put = (body: unknown, authorization?: string) =>
    callJson(`${service.url}/admin/faults`, {
      method: 'PUT',
      body,
      headers: authorization ? { authorization } : {},
    })
  const rule = [{ route: '/slow', errorStatus: 500 }]

  it('asks for a bearer token: 401 without one or with a malformed one, 403 with the wrong one', async () => {
    for (const authorization of [undefined, `Basic ${TOKEN}`, 'Bearer', `Bearer  ${TOKEN} x`]) {
      const answer = await put(rule, authorization)
      expectProblem(answer, 401, String(authorization))
      expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer/)
    }
    expectProblem(await put(rule, 'Bearer not-the-right-token-at-all'), 403)
    expect((await fetch(`${service.url}/slow?ms=0`)).status).toBe(200)
  })

  it('replaces the rules at run time, without a restart, and clears them with []', async () => {
    const set = await put(rule, `Bearer ${TOKEN}`)
    expect(set.status).toBe(200)
    expect(set.body).toEqual({ rules: [{ route: '/slow', errorStatus: 500 }] })
    const failed = await callJson(`${service.url}/slow?ms=0`)
    expectProblem(failed, 500)
    expect(failed.headers.get('x-fault-injected')).toBe('error=500')
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200)

    expect((await put([], `Bearer ${TOKEN}`)).body).toEqual({ rules: [] })
    expect((await fetch(`${service.url}/slow?ms=0`)).status).toBe(200)
  })

  it('rejects a malformed rule list with a 400 problem and keeps the rules it had', async () => {
    await put(rule, `Bearer ${TOKEN}`)
    for (const body of [
      [{ route: '/slow', errorStatus: 418 }],
      [{ route: '/slow' }],
      { route: '/slow', errorStatus: 500 },
      [{ route: '/slow', errorPercent: 101 }],
    ])
      expectProblem(await put(body, `Bearer ${TOKEN}`), 400, JSON.stringify(body))
    const kept = await callJson(`${service.url}/admin/faults`, { token: TOKEN })
    expect(kept.body).toEqual({ rules: [{ route: '/slow', errorStatus: 500 }] })
    await put([], `Bearer ${TOKEN}`)
  })

  it('does not exist when FAULT_ADMIN_TOKEN is not set', async () => {
    const plain = await startService(demoService)
    expectProblem(
      await callJson(`${plain.url}/admin/faults`, { method: 'PUT', body: rule, token: TOKEN }),
      404,
    )
    await plain.stop()
  })
})

describe('a malformed FAULTS', () => {
  it.each([
    ['not json', /^Invalid configuration: FAULTS is not JSON/],
    ['[{"route":"/x","errorStatus":404}]', /^Invalid configuration: FAULTS \/0\/errorStatus/],
    ['[{"route":"/x"}]', /^Invalid configuration: FAULTS \/0 names no fault/],
  ])('%s stops the process with one line naming FAULTS', async (faults, message) => {
    const started = startProcess({
      command: process.execPath,
      args: ['--import', '@shop/tracing/register', demoService],
      env: { ...baseEnv(), FAULTS: faults },
    })
    expect(await started.exited).toBe(1)
    expect(started.output).toHaveLength(1)
    expect(started.output[0]).toMatch(message)
  })
})

describe('span events', () => {
  it('adds a fault.injected event to the request’s server span', async () => {
    const capture = await startOtlpCapture()
    const service = await startService(demoService, {
      env: { ...capture.env, FAULTS: '[{"route":"/slow","errorStatus":503}]' },
    })
    const response = await fetch(`${service.url}/slow?ms=0`)
    expect(response.status).toBe(503)
    const spans = await capture.waitForSpans((all) =>
      all.some((span) => span.events.some((event) => event.name === 'fault.injected')),
    )
    const faulted = spans.find((span) => span.events.some((event) => event.name === 'fault.injected'))!
    expect(faulted.kind).toBe(2) // SERVER
    expect(faulted.events.find((event) => event.name === 'fault.injected')!.attributes).toMatchObject({
      'fault.kind': 'error',
      'fault.rule': '/slow',
      'fault.status': '503',
    })
    await service.stop()
    await capture.close()
  })
})
