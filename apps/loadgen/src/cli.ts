#!/usr/bin/env node
// The load generator as a command: walks the shop's journeys for a while, prints progress every few
// seconds and a summary, and exits 1 when the error rate passes the threshold (so it is a smoke test).
import { parseArgs } from 'node:util'
import { ConfigError } from '@shop/service-kit'
import { durationSeconds, loadSettings, type LoadSettings } from './config.js'
import { LoadRun } from './engine.js'
import { checkExpectation, parseExpectation, type Expectation } from './expectations.js'
import { progressLines, summaryLines, verdictLines } from './report.js'

const FLAGS = {
  target: 'TARGET_URL',
  users: 'USERS',
  duration: 'DURATION',
  'ramp-up': 'RAMP_UP_SECONDS',
  'think-time': 'THINK_TIME_MS',
  'max-error-rate': 'MAX_ERROR_RATE',
  'report-interval': 'REPORT_INTERVAL_SECONDS',
  timeout: 'REQUEST_TIMEOUT_MS',
} as const

const HELP = `shop-loadgen: walks the shop's user journeys through the UI's backend.

  --target URL            the shop (TARGET_URL, default http://localhost:4000)
  --users N               virtual users (USERS, default 10)
  --duration D            90, 90s, 5m, 1h; 0 runs until Ctrl-C (DURATION, default 60s)
  --ramp-up S             seconds to start all users (RAMP_UP_SECONDS, default 5)
  --think-time MS         pause between steps, ±50% (THINK_TIME_MS, default 500)
  --max-error-rate R      exit 1 above this share of unexpected answers (MAX_ERROR_RATE, default 0.01)
  --report-interval S     seconds between progress lines (REPORT_INTERVAL_SECONDS, default 5)
  --timeout MS            per request (REQUEST_TIMEOUT_MS, default 10000)
  --expect PROMISE        checked at the end, PASS/FAIL each, exit 1 on any FAIL (repeatable):
                            product-catalog=v1:80,v2:20          share per version, in %
                            order-management:error-rate<1%       or service/v2:error-rate>20%
                            product-inventory:p95<500ms          p50, p95 or p99 in ms
                          a split needs 2.576² p(1-p)/t² requests of the service (t = tolerance):
                          425 for 80/20 at ±5; fewer fail as inconclusive
  --tolerance P           percentage points a split may be off by (default 5)
  --json                  also print the final summary as one JSON line

With --expect, the expectations decide the exit code; the overall error rate does too only when
--max-error-rate is given.`

const { values } = parseArgs({
  options: {
    ...Object.fromEntries(Object.keys(FLAGS).map((flag) => [flag, { type: 'string' as const }])),
    json: { type: 'boolean', default: false },
    expect: { type: 'string', multiple: true, default: [] },
    tolerance: { type: 'string', default: '5' },
    help: { type: 'boolean', default: false },
  },
})
if (values.help) {
  console.log(HELP)
  process.exit(0)
}

let settings: LoadSettings
let expectations: Expectation[]
const tolerance = Number(values.tolerance)
try {
  if (!(tolerance > 0 && tolerance <= 50))
    throw new ConfigError(
      `Invalid --tolerance ${values.tolerance}: a number of percentage points, 0 < P <= 50`,
    )
  expectations = (values.expect ?? []).map(parseExpectation)
  const fromFlags = Object.fromEntries(
    Object.entries(FLAGS).flatMap(([flag, variable]) => {
      const value = values[flag as keyof typeof values]
      return typeof value === 'string' ? [[variable, value]] : []
    }),
  )
  settings = loadSettings({ ...process.env, ...fromFlags })
} catch (error) {
  if (!(error instanceof ConfigError)) throw error
  console.error(error.message)
  process.exit(2)
}

const run = new LoadRun({
  targetUrl: settings.TARGET_URL,
  users: settings.USERS,
  durationSeconds: durationSeconds(settings.DURATION),
  rampUpSeconds: settings.RAMP_UP_SECONDS,
  thinkTimeMs: settings.THINK_TIME_MS,
  requestTimeoutMs: settings.REQUEST_TIMEOUT_MS,
})
console.log(
  `Loading ${settings.TARGET_URL} with ${settings.USERS} users for ${settings.DURATION === '0' ? 'ever' : settings.DURATION} ` +
    `(ramp-up ${settings.RAMP_UP_SECONDS}s, think time ${settings.THINK_TIME_MS}ms)`,
)
const progress = setInterval(() => {
  for (const line of progressLines(run.stats.takeInterval(), run.stats.snapshot(), run.activeUsers))
    console.log(line)
}, settings.REPORT_INTERVAL_SECONDS * 1000)
process.once('SIGINT', () => run.stop())
process.once('SIGTERM', () => run.stop())

await run.run()
clearInterval(progress)
const total = run.stats.snapshot()
for (const line of summaryLines(total, settings.MAX_ERROR_RATE)) console.log(line)
const verdicts = expectations.map((expectation) => checkExpectation(expectation, total.services, tolerance))
for (const line of verdictLines(verdicts)) console.log(line)
if (values.json) console.log(JSON.stringify({ ...total, verdicts }))
// Flush the spans of the last requests before leaving (a no-op when tracing is off).
await (await import('@shop/tracing')).shutdownTracing()
const errorRateDecides =
  expectations.length === 0 ||
  (values as Record<string, unknown>)['max-error-rate'] !== undefined ||
  process.env.MAX_ERROR_RATE !== undefined
const failed =
  total.requests === 0 ||
  verdicts.some((verdict) => !verdict.passed) ||
  (errorRateDecides && total.errorRate > settings.MAX_ERROR_RATE)
process.exit(failed ? 1 : 0)
