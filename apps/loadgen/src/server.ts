// The load generator as a long-running service (a Deployment in Kubernetes, a compose profile): it
// walks the journeys for DURATION (0: until stopped), logs progress, and serves what it measures on
// /metrics (Prometheus) and /api/stats, next to the kit's /healthz and /readyz.
import { createService, runService, Type } from '@shop/service-kit'
import { Counter, Histogram } from 'prom-client'
import { durationSeconds, loadAppConfig } from './config.js'
import { LoadRun } from './engine.js'
import { checkExpectation, parseExpectation } from './expectations.js'
import { progressLines } from './report.js'
import type { StatsSnapshot } from './stats.js'

await runService(async () => {
  const config = loadAppConfig()
  const app = await createService({
    name: 'loadgen',
    description: 'Walks the shop journeys through the UI backend and reports what it measures.',
    config,
  })
  const expectations = (config.EXPECT ?? '').split(/\s+/).filter(Boolean).map(parseExpectation)
  /** The last progress interval: the live split, where the totals lag behind a moving canary. */
  let recent: StatsSnapshot | undefined
  const requests = new Counter({
    name: 'loadgen_requests_total',
    help: 'Requests sent to the shop, by route, status and whether the journey expected that answer',
    labelNames: ['route', 'status', 'expected'],
    registers: [app.metrics],
  })
  const latency = new Histogram({
    name: 'loadgen_request_duration_seconds',
    help: 'Latency of the shop as the load generator sees it, by route',
    labelNames: ['route'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [app.metrics],
  })
  const run = new LoadRun({
    targetUrl: config.TARGET_URL,
    users: config.USERS,
    durationSeconds: durationSeconds(config.DURATION),
    rampUpSeconds: config.RAMP_UP_SECONDS,
    thinkTimeMs: config.THINK_TIME_MS,
    requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
    onOutcome: (outcome) => {
      requests.inc({
        route: outcome.route,
        status: String(outcome.status),
        expected: String(outcome.expected),
      })
      latency.observe({ route: outcome.route }, outcome.latencyMs / 1000)
    },
  })

  app.get(
    '/api/stats',
    {
      schema: {
        summary:
          'Totals since the start of the run, per route and per service version; `recent` is the last ' +
          'REPORT_INTERVAL_SECONDS alone; `verdicts` checks EXPECT against the totals',
        response: { 200: Type.Unknown() },
      },
    },
    async () => {
      const total = run.stats.snapshot()
      return {
        ...total,
        recent: recent ?? null,
        tolerance: config.TOLERANCE,
        verdicts: expectations.map((expectation) =>
          checkExpectation(expectation, total.services, config.TOLERANCE),
        ),
      }
    },
  )
  app.addHook('onReady', async () => {
    const report = setInterval(() => {
      recent = run.stats.takeInterval()
      for (const line of progressLines(recent, run.stats.snapshot(), run.activeUsers).slice(0, 2))
        app.log.info(line.trim())
    }, config.REPORT_INTERVAL_SECONDS * 1000)
    void run.run().finally(() => {
      clearInterval(report)
      app.log.info({ summary: run.stats.snapshot() }, 'load run finished')
    })
  })
  app.addHook('onClose', async () => run.stop())
  return app
})
