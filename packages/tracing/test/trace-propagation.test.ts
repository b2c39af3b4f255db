import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startOtlpCapture, type CapturedSpan, type OtlpCapture } from '@shop/test-support'
import { startFixture } from './start-fixture.js'

const SERVER = 2
const CLIENT = 3

interface RelayAnswer {
  received: Record<string, string>
  requestId: string
  serverSpan: { traceId: string; spanId: string }
  downstreamReceived: Record<string, string>
}

/** Starts the echo server and a relay in front of it, two separate processes. */
async function startPair(env: Record<string, string>) {
  const echo = await startFixture('echo-server.mjs', { ...env, OTEL_SERVICE_NAME: 'echo' })
  const relay = await startFixture('relay-server.mjs', {
    ...env,
    OTEL_SERVICE_NAME: 'relay',
    DOWNSTREAM_URL: echo.url,
  })
  return { echo, relay }
}

async function relay(
  url: string,
  via: 'fetch' | 'http',
  headers: Record<string, string> = {},
): Promise<RelayAnswer> {
  const response = await fetch(`${url}/relay?via=${via}`, { headers })
  expect(response.status).toBe(200)
  return (await response.json()) as RelayAnswer
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex')
const traceparentParts = (value: string) => {
  const [version, traceId, spanId, flags] = value.split('-')
  return { version, traceId, spanId, flags }
}

describe('trace propagation across two processes', () => {
  let capture: OtlpCapture
  let pair: Awaited<ReturnType<typeof startPair>>

  beforeAll(async () => {
    capture = await startOtlpCapture()
    pair = await startPair(capture.env)
  })

  afterAll(async () => {
    await pair?.relay.process.stop()
    await pair?.echo.process.stop()
    await capture?.close()
  })

  for (const via of ['fetch', 'http'] as const) {
    it(`carries incoming B3 context and x-request-id to an outbound ${via} call, as B3 and W3C`, async () => {
      const traceId = hex(16)
      const callerSpanId = hex(8)
      const requestId = `req-${hex(6)}`
      const answer = await relay(pair.relay.url, via, {
        'x-b3-traceid': traceId,
        'x-b3-spanid': callerSpanId,
        'x-b3-sampled': '1',
        'x-request-id': requestId,
      })

      // The relay's server span continues the caller's trace as a child of the caller's span.
      expect(answer.serverSpan.traceId).toBe(traceId)
      expect(answer.serverSpan.spanId).not.toBe(callerSpanId)
      expect(answer.requestId).toBe(requestId)

      const downstream = answer.downstreamReceived
      expect(downstream['x-request-id']).toBe(requestId)
      expect(downstream['x-b3-traceid']).toBe(traceId)
      expect(downstream['x-b3-sampled']).toBe('1')
      const traceparent = traceparentParts(downstream.traceparent!)
      expect(traceparent.traceId).toBe(traceId)
      expect(traceparent.flags).toBe('01')
      // Both formats name the same, new span: the relay's client span for this call.
      expect(downstream['x-b3-spanid']).toBe(traceparent.spanId)
      expect(traceparent.spanId).not.toBe(callerSpanId)
      expect(traceparent.spanId).not.toBe(answer.serverSpan.spanId)

      // Exported spans link up: caller span -> relay server -> relay client -> echo server.
      // Each process exports on its own schedule: wait for the three spans of the hop.
      const spans = await capture.waitForSpans(
        (all) => all.filter((span) => span.traceId === traceId && span.service !== 'caller').length >= 3,
      )
      const ofTrace = spans.filter((span) => span.traceId === traceId)
      const relayServer = ofTrace.find((span) => span.service === 'relay' && span.kind === SERVER)!
      const relayClient = ofTrace.find((span) => span.service === 'relay' && span.kind === CLIENT)!
      const echoServer = ofTrace.find((span) => span.service === 'echo' && span.kind === SERVER)!
      expect(relayServer.parentSpanId).toBe(callerSpanId)
      expect(relayServer.spanId).toBe(answer.serverSpan.spanId)
      expect(relayClient.parentSpanId).toBe(relayServer.spanId)
      expect(relayClient.spanId).toBe(traceparent.spanId)
      expect(echoServer.parentSpanId).toBe(relayClient.spanId)
    })
  }

  it('starts a fresh trace and generates an x-request-id when a request carries none', async () => {
    const first = await relay(pair.relay.url, 'fetch')
    const second = await relay(pair.relay.url, 'fetch')

    for (const answer of [first, second]) {
      expect(answer.received['x-request-id']).toBeUndefined()
      expect(answer.requestId).toMatch(/^[0-9a-f-]{36}$/)
      expect(answer.downstreamReceived['x-request-id']).toBe(answer.requestId)
      expect(answer.serverSpan.traceId).toMatch(/^[0-9a-f]{32}$/)
      expect(answer.downstreamReceived['x-b3-traceid']).toBe(answer.serverSpan.traceId)
      expect(traceparentParts(answer.downstreamReceived.traceparent!).traceId).toBe(answer.serverSpan.traceId)
    }
    expect(second.requestId).not.toBe(first.requestId)
    expect(second.serverSpan.traceId).not.toBe(first.serverSpan.traceId)

    const spans = await capture.waitForSpans((all) =>
      all.some(
        (span) =>
          span.service === 'relay' && span.traceId === first.serverSpan.traceId && span.kind === SERVER,
      ),
    )
    const root = spans.find(
      (span) => span.traceId === first.serverSpan.traceId && span.service === 'relay' && span.kind === SERVER,
    )
    expect(root?.parentSpanId).toBeUndefined()
  })

  it('accepts the single-header b3 format', async () => {
    const traceId = hex(16)
    const callerSpanId = hex(8)
    const answer = await relay(pair.relay.url, 'http', { b3: `${traceId}-${callerSpanId}-1` })

    expect(answer.serverSpan.traceId).toBe(traceId)
    expect(answer.downstreamReceived['x-b3-traceid']).toBe(traceId)
    expect(traceparentParts(answer.downstreamReceived.traceparent!).traceId).toBe(traceId)

    const spans = await capture.waitForSpans((all) =>
      all.some((span) => span.service === 'relay' && span.traceId === traceId && span.kind === SERVER),
    )
    const relayServer = spans.find(
      (span) => span.traceId === traceId && span.service === 'relay' && span.kind === SERVER,
    )
    expect(relayServer?.parentSpanId).toBe(callerSpanId)
  })

  it('continues a W3C traceparent and forwards the other headers Istio lists', async () => {
    const traceId = hex(16)
    const forwarded = {
      'x-ot-span-context': 'ot-context',
      'x-cloud-trace-context': `${hex(16)}/1;o=1`,
      sw8: '1-abc-def',
      'x-datadog-trace-id': '12345',
      'x-datadog-parent-id': '67890',
      'x-datadog-sampling-priority': '1',
    }
    const answer = await relay(pair.relay.url, 'fetch', {
      traceparent: `00-${traceId}-${hex(8)}-01`,
      ...forwarded,
    })

    expect(answer.downstreamReceived['x-b3-traceid']).toBe(traceId)
    for (const [name, value] of Object.entries(forwarded)) expect(answer.downstreamReceived[name]).toBe(value)
  })

  const tracedGet = async (path: string, signal?: AbortSignal) => {
    const traceId = hex(16)
    const traceparent = `00-${traceId}-${hex(8)}-01`
    const answer = await fetch(`${pair.echo.url}${path}`, { headers: { traceparent }, signal }).catch(
      () => undefined,
    )
    await answer?.text()
    return traceId
  }
  const serverSpanOf = async (traceId: string) => {
    const spans = await capture.waitForSpans((all) => all.some((span) => span.traceId === traceId))
    return spans.find((span) => span.traceId === traceId && span.service === 'echo')!
  }

  it('makes a server span per request, with the stable HTTP semantic conventions', async () => {
    const traceId = await tracedGet('/items/42?colour=red&size=m')
    const span = await serverSpanOf(traceId)
    expect(span).toMatchObject({ kind: SERVER, name: 'GET' })
    expect(span.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.scheme': 'http',
      'url.path': '/items/42',
      'url.query': 'colour=red&size=m',
      'server.address': '127.0.0.1',
      'server.port': Number(new URL(pair.echo.url).port),
      'network.peer.address': '127.0.0.1',
      'network.protocol.version': '1.1',
      'http.response.status_code': 200,
    })
    expect(span.attributes['error.type']).toBeUndefined()
  })

  it('names a span HTTP, and its method _OTHER, for a method the conventions do not name', async () => {
    const traceId = hex(16)
    const answer = await fetch(`${pair.echo.url}/cache`, {
      method: 'PURGE',
      headers: { traceparent: `00-${traceId}-${hex(8)}-01` },
    })
    await answer.text()
    const span = await serverSpanOf(traceId)
    expect(span.name).toBe('HTTP')
    expect(span.attributes).toMatchObject({
      'http.request.method': '_OTHER',
      'http.request.method_original': 'PURGE',
    })
  })

  it('marks a 5xx answer, and an answer the caller stopped waiting for, as errors', async () => {
    const failed = await serverSpanOf(await tracedGet('/status/503'))
    expect(failed.attributes).toMatchObject({ 'http.response.status_code': 503, 'error.type': '503' })

    const abandoned = await serverSpanOf(await tracedGet('/slow', AbortSignal.timeout(100)))
    expect(abandoned.attributes['error.type']).toBe('aborted')

    const refused = await serverSpanOf(await tracedGet('/status/404'))
    expect(refused.attributes['http.response.status_code']).toBe(404)
    expect(refused.attributes['error.type']).toBeUndefined()
  })

  /** Relays a fetch to `target` in a new trace; answers the relay's status and its client span. */
  const relayTo = async (target: string) => {
    const traceId = hex(16)
    const relayed = await fetch(`${pair.relay.url}/relay?via=fetch&to=${encodeURIComponent(target)}`, {
      headers: { traceparent: `00-${traceId}-${hex(8)}-01` },
    })
    await relayed.text()
    const isClientSpan = (span: CapturedSpan) =>
      span.traceId === traceId && span.service === 'relay' && span.kind === CLIENT
    const spans = await capture.waitForSpans((all) => all.some(isClientSpan))
    return { status: relayed.status, span: spans.find(isClientSpan)! }
  }

  it('makes a client span per fetch or undici call, with the stable HTTP semantic conventions', async () => {
    const echoPort = Number(new URL(pair.echo.url).port)
    const target = `${pair.echo.url}/status/503?colour=red`
    const { status, span } = await relayTo(target)
    expect(status).toBe(200)
    expect(span).toMatchObject({ kind: CLIENT, name: 'GET' })
    expect(span.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.full': target,
      'url.scheme': 'http',
      'url.path': '/status/503',
      'url.query': 'colour=red',
      'server.address': '127.0.0.1',
      'server.port': echoPort,
      'network.peer.address': '127.0.0.1',
      'network.peer.port': echoPort,
      'network.protocol.version': '1.1',
      'http.response.status_code': 503,
      'error.type': '503',
    })
  })

  it('marks a call that could not connect as an error of its client span', async () => {
    const closed = await startFixture('echo-server.mjs')
    await closed.process.stop()
    const { status, span } = await relayTo(`${closed.url}/echo`)
    expect(status).toBe(502)
    expect(span.attributes).toMatchObject({ 'url.full': `${closed.url}/echo`, 'error.type': 'ECONNREFUSED' })
    expect(span.attributes['http.response.status_code']).toBeUndefined()
    expect(span.events.map((event) => event.name)).toEqual(['exception'])
  })

  it('makes no span for the probes and the metrics scrape', async () => {
    const probed = await Promise.all(['/healthz', '/readyz', '/metrics'].map((path) => tracedGet(path)))
    // Spans leave in batches: once a later request's span has arrived, earlier ones would have too.
    await serverSpanOf(await tracedGet('/after-the-probes'))
    expect(capture.spans.filter((span) => probed.includes(span.traceId))).toEqual([])
  })

  it('exports spans with the service name and version as resource attributes', async () => {
    await relay(pair.relay.url, 'fetch')
    const spans = await capture.waitForSpans((all) => all.some((span) => span.service === 'relay'))
    const relaySpan = spans.find((span) => span.service === 'relay')!
    expect(relaySpan.serviceVersion).toBe('v1')
  })
})

describe('without an exporter configured', () => {
  it('still propagates headers, and stops promptly', async () => {
    const pair = await startPair({})
    const traceId = hex(16)
    const answer = await relay(pair.relay.url, 'http', {
      'x-b3-traceid': traceId,
      'x-b3-spanid': hex(8),
      'x-b3-sampled': '1',
      'x-request-id': 'no-exporter',
    })
    expect(answer.downstreamReceived['x-b3-traceid']).toBe(traceId)
    expect(answer.downstreamReceived['x-request-id']).toBe('no-exporter')

    const started = Date.now()
    expect(await pair.relay.process.stop('SIGTERM')).toBe(0)
    expect(await pair.echo.process.stop('SIGTERM')).toBe(0)
    // A default SDK would wait on an absent collector for several seconds here.
    expect(Date.now() - started).toBeLessThan(3_000)
  })
})
