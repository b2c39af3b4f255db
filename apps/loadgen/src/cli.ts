#!/usr/bin/env node
// The load generator as a command: walks the shop's journeys for a while, prints progress every few
// seconds and a summary, and exits 1 when the error rate passes the threshold (so it is a smoke test).
import { parseArgs } from 'node:util'
import { ConfigError } from '@shop/service-kit'
import { durationSeconds, loadSettings, type LoadSettings } from './config.js'
import { LoadRun } from './engine.js'
import { progressLines, summaryLines } from './report.js'

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
  --json                  also print the final summary as one JSON line`

const { values } = parseArgs({
  options: {
    ...Object.fromEntries(Object.keys(FLAGS).map((flag) => [flag, { type: 'string' as const }])),
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
})
if (values.help) {
  console.log(HELP)
  process.exit(0)
}

let settings: LoadSettings
try {
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
if (values.json) console.log(JSON.stringify(total))
// Flush the spans of the last requests before leaving (a no-op when tracing is off).
await (await import('@shop/tracing')).shutdownTracing()
process.exit(total.errorRate > settings.MAX_ERROR_RATE || total.requests === 0 ? 1 : 0)
