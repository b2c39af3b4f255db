import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SERVICE_NAMES } from '@shop/contracts'
import {
  repoRoot,
  startOtlpCapture,
  startProcess,
  startStack,
  type CapturedSpan,
  type OtlpCapture,
  type Stack,
} from '@shop/test-support'

const SERVER = 2
const CLIENT = 3
const SHOP = SERVICE_NAMES

interface LoadSummary {
  requests: number
  errors: number
  routes: { route: string; statuses: Record<string, number> }[]
}

/**
 * The point of the shop: one user action is one complete trace. The whole stack runs as processes,
 * every app exporting OTLP/HTTP to a capture server; the load generator walks the journeys for 20 s.
 */
describe('complete traces under load', () => {
  let capture: OtlpCapture
  let stack: Stack
  let summary: LoadSummary
  let spans: CapturedSpan[]

  beforeAll(async () => {
    capture = await startOtlpCapture()
    stack = await startStack({
      apps: [...SHOP, 'ecommerce-ui'],
      commonEnv: capture.env,
      env: { 'profile-management': { AUTH_ATTEMPTS_PER_CLIENT_PER_MINUTE: '1000' } },
    })
    const loadgen = startProcess({
      command: process.execPath,
      args: ['--import', '@shop/tracing/register', 'dist/cli.js', '--json'],
      cwd: `${repoRoot}apps/loadgen`,
      env: {
        PATH: process.env.PATH,
        ...capture.env,
        OTEL_SERVICE_NAME: 'loadgen',
        TARGET_URL: stack.url('ecommerce-ui'),
        USERS: '6',
        DURATION: '20s',
        RAMP_UP_SECONDS: '2',
        THINK_TIME_MS: '150',
        MAX_ERROR_RATE: '0',
      },
      label: 'loadgen',
    })
    const code = await loadgen.exited
    summary = JSON.parse(loadgen.output.at(-1)!) as LoadSummary
    if (code !== 0) throw new Error(`the load generator failed:\n${loadgen.output.join('\n')}`)
    // Every app flushes its last spans within the batch delay; wait for the quiet that follows.
    let count = -1
    while (count !== capture.spans.length) {
      count = capture.spans.length
      await new Promise((resolve) => setTimeout(resolve, 1_000))
    }
    spans = capture.spans
  }, 180_000)

  afterAll(async () => {
    await stack?.stop()
    await capture?.close()
  })

  const serverSpans = (traceId: string, service: string) =>
    spans.filter((span) => span.traceId === traceId && span.service === service && span.kind === SERVER)
  const byId = (traceId: string, spanId: string | undefined) =>
    spans.find((span) => span.traceId === traceId && span.spanId === spanId)

  /** The span's parent is a client span of `caller`, made inside `callerServer`. */
  function expectCalledBy(span: CapturedSpan, caller: string, callerServer: CapturedSpan) {
    const client = byId(span.traceId, span.parentSpanId)
    expect(client, `${span.service} ${span.name}: no parent`).toMatchObject({ service: caller, kind: CLIENT })
    expect(client!.parentSpanId, `${span.service} ${span.name}`).toBe(callerServer.spanId)
  }

  it('ran the journeys with no unexpected answer', () => {
    expect(summary.errors).toBe(0)
    expect(summary.requests).toBeGreaterThan(100)
  })

  it('made every placed order one trace across ui, orders, catalog, inventory and shipping, parent by parent', () => {
    const placements = spans.filter(
      (span) =>
        span.service === 'ecommerce-ui' &&
        span.kind === SERVER &&
        span.name === 'POST /api/orders' &&
        span.attributes['http.response.status_code'] === 201,
    )
    const ordersPlaced =
      summary.routes.find((route) => route.route === 'POST /api/orders')?.statuses['201'] ?? 0
    expect(ordersPlaced).toBeGreaterThan(0)
    expect(placements).toHaveLength(ordersPlaced)

    for (const ui of placements) {
      // One trace: the loadgen's request is its root, the ui answers it, and everything below hangs off that.
      expect(byId(ui.traceId, ui.parentSpanId)).toMatchObject({ service: 'loadgen', kind: CLIENT })
      const [orders, ...more] = serverSpans(ui.traceId, 'order-management').filter(
        (s) => s.name === 'POST /api/orders',
      )
      expect(more).toHaveLength(0)
      expectCalledBy(orders!, 'ecommerce-ui', ui)
      for (const [service, name] of [
        ['product-catalog', 'GET /api/products'],
        ['product-inventory', 'POST /api/reservations'],
        ['shipping-and-handling', 'POST /api/shipping/quote'],
        ['shipping-and-handling', 'POST /api/shipments'],
      ] as const) {
        const calls = serverSpans(ui.traceId, service).filter((span) => span.name === name)
        expect(calls.length, `${service} ${name} in trace ${ui.traceId}`).toBeGreaterThan(0)
        for (const call of calls) expectCalledBy(call, 'order-management', orders!)
      }
    }
  })

  it('carried one x-request-id to every service an order touched', () => {
    const placement = spans.find(
      (span) => span.service === 'ecommerce-ui' && span.name === 'POST /api/orders',
    )!
    const requestIds = new Map<string, Set<string>>()
    for (const app of [
      'ecommerce-ui',
      'order-management',
      'product-catalog',
      'product-inventory',
      'shipping-and-handling',
    ] as const) {
      const ids = stack.apps[app]!.output.filter((line) => line.includes(`"traceId":"${placement.traceId}"`))
        .map((line) => (JSON.parse(line) as { requestId?: string }).requestId)
        .filter((id): id is string => Boolean(id))
      requestIds.set(app, new Set(ids))
    }
    const all = new Set([...requestIds.values()].flatMap((ids) => [...ids]))
    expect(all.size).toBe(1)
    for (const [app, ids] of requestIds) expect(ids.size, app).toBe(1)
  })

  it('traced browsing too: ui -> product-catalog, with the catalog call a child of the ui request', () => {
    const listings = spans.filter(
      (span) => span.service === 'ecommerce-ui' && span.kind === SERVER && span.name === 'GET /api/products',
    )
    expect(listings.length).toBeGreaterThan(0)
    for (const ui of listings) {
      const catalog = serverSpans(ui.traceId, 'product-catalog')
      expect(catalog.length, ui.traceId).toBeGreaterThan(0)
      for (const call of catalog) expectCalledBy(call, 'ecommerce-ui', ui)
    }
  })
})
