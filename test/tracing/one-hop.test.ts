import { randomBytes, randomUUID } from 'node:crypto'
import { request as httpRequest } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import { SERVICE_NAMES } from '@shop/contracts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  callJson,
  startOtlpCapture,
  startStack,
  type CapturedSpan,
  type OtlpCapture,
  type Stack,
} from '@shop/test-support'

const SERVER = 2
const CLIENT = 3
const ADDRESS = { line1: '1 Main St', city: 'Springfield', postalCode: '62701', country: 'US' }

/** The server span `service` made for this trace, and the span of the caller it names as parent. */
function hop(spans: CapturedSpan[], traceId: string, service: string, route: string) {
  const server = spans.find(
    (span) =>
      span.traceId === traceId &&
      span.service === service &&
      span.kind === SERVER &&
      span.name.endsWith(route),
  )
  const caller =
    server && spans.find((span) => span.traceId === traceId && span.spanId === server.parentSpanId)
  return { server, caller }
}

/**
 * POSTs JSON whose body leaves `lateByMs` after the headers, as a proxy (Envoy) may forward them: the
 * body then arrives in a later read of the socket, outside the context the request was dispatched in.
 */
function postWithLateBody(
  url: string,
  headers: Record<string, string>,
  body: unknown,
  lateByMs: number,
): Promise<number> {
  const text = JSON.stringify(body)
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) },
    })
    outgoing.on('response', (response) => {
      response.resume()
      response.on('end', () => resolve(response.statusCode ?? 0))
    })
    outgoing.on('error', reject)
    outgoing.flushHeaders()
    void sleep(lateByMs).then(() => outgoing.end(text))
  })
}

describe('every calling service passes the trace and the request id on', () => {
  let capture: OtlpCapture
  let stack: Stack

  beforeAll(async () => {
    capture = await startOtlpCapture()
    stack = await startStack({
      apps: SERVICE_NAMES,
      commonEnv: capture.env,
    })
  })

  afterAll(async () => {
    await stack?.stop()
    await capture?.close()
  })

  it.each([
    ['with the headers', 0],
    ['200 ms after the headers', 200],
  ])(
    'order-management -> product-catalog, product-inventory, shipping-and-handling and profile-management (body %s)',
    async (_timing, lateByMs) => {
      const email = `hop-${randomUUID()}@example.com`
      const session = await callJson(`${stack.url('profile-management')}/api/auth/signup`, {
        method: 'POST',
        body: {
          email,
          password: 'a good long password',
          firstName: 'Hop',
          lastName: 'Test',
          address: ADDRESS,
        },
      })
      const token = session.body.token as string
      const om = stack.url('order-management')
      await callJson(`${om}/api/cart/items/foam-roller`, {
        method: 'PUT',
        token,
        body: { quantity: 1 },
      })

      const traceId = randomBytes(16).toString('hex')
      const requestId = `one-hop-${randomUUID()}`
      const status = await postWithLateBody(
        `${om}/api/orders`,
        {
          authorization: `Bearer ${token}`,
          traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
          'x-request-id': requestId,
          'idempotency-key': `hop-${randomUUID()}`,
        },
        { shippingMethod: 'standard' },
        lateByMs,
      )
      expect(status).toBe(201)

      const calls = [
        ['product-catalog', 'GET /api/products'],
        ['product-inventory', 'POST /api/reservations'],
        ['shipping-and-handling', 'POST /api/shipping/quote'],
        ['shipping-and-handling', 'POST /api/shipments'],
        ['profile-management', 'GET /api/profile'],
      ] as const
      const isOrderServer = (span: CapturedSpan) =>
        span.traceId === traceId && span.service === 'order-management' && span.kind === SERVER
      // Each process exports in batches of its own: wait for every span the checks read, the
      // order-management server span (which ends last) included.
      const spans = await capture.waitForSpans(
        (all) =>
          all.some(isOrderServer) &&
          calls.every(([service, route]) => hop(all, traceId, service, route).caller),
      )
      const orderServer = spans.find(isOrderServer)!
      for (const [service, route] of calls) {
        const { server, caller } = hop(spans, traceId, service, route)
        expect(caller, `${service} ${route}`).toMatchObject({ service: 'order-management', kind: CLIENT })
        expect(caller!.parentSpanId, `${service} ${route}`).toBe(orderServer.spanId)
        expect(server!.attributes['http.route'] ?? route.split(' ')[1]).toBeDefined()
        // The same request id reached the service: its log lines carry it.
        expect(
          stack.apps[service]!.output.some((line) => line.includes(`"requestId":"${requestId}"`)),
          service,
        ).toBe(true)
      }
      // Its own log lines carry the trace, the one written after the response was sent included.
      const completed = stack.apps['order-management']!.output.find(
        (line) => line.includes(`"requestId":"${requestId}"`) && line.includes('"request completed"'),
      )
      expect(JSON.parse(completed!)).toMatchObject({ traceId, spanId: orderServer.spanId })
    },
  )

  it('contact-support-team -> profile-management (the signing keys, fetched while checking a token)', async () => {
    const email = `ticket-${randomUUID()}@example.com`
    const session = await callJson(`${stack.url('profile-management')}/api/auth/signup`, {
      method: 'POST',
      body: { email, password: 'a good long password', firstName: 'Tick', lastName: 'Et' },
    })
    const traceId = randomBytes(16).toString('hex')
    const requestId = `one-hop-${randomUUID()}`
    const opened = await callJson(`${stack.url('contact-support-team')}/api/tickets`, {
      method: 'POST',
      token: session.body.token as string,
      body: {
        name: 'Tick Et',
        email,
        subject: 'Tracing',
        message: 'Does the trace go through?',
      },
      headers: {
        traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
        'x-request-id': requestId,
      },
    })
    expect(opened.status).toBe(201)

    const spans = await capture.waitForSpans((all) =>
      Boolean(hop(all, traceId, 'profile-management', '/.well-known/jwks.json').caller),
    )
    const { caller } = hop(spans, traceId, 'profile-management', '/.well-known/jwks.json')
    expect(caller).toMatchObject({ service: 'contact-support-team', kind: CLIENT })
    expect(
      stack.apps['profile-management']!.output.some((line) => line.includes(`"requestId":"${requestId}"`)),
    ).toBe(true)
  })
})
