import type { Verdict } from './expectations.js'
import type { StatsSnapshot } from './stats.js'
import type { ServiceSummary } from './versions.js'

const percent = (rate: number) => `${(rate * 100).toFixed(rate > 0 && rate < 0.001 ? 3 : 1)}%`
const ms = (value: number) => `${value}ms`

/** One progress line, plus one line per kind of unexpected answer in the interval. */
export function progressLines(interval: StatsSnapshot, total: StatsSnapshot, activeUsers: number): string[] {
  const lines = [
    `[${total.elapsedSeconds.toFixed(0).padStart(5)}s] ${interval.requestsPerSecond.toFixed(1).padStart(7)} req/s` +
      `  errors ${percent(interval.errorRate).padStart(6)}` +
      `  p50 ${ms(interval.latency.p50)}  p95 ${ms(interval.latency.p95)}  p99 ${ms(interval.latency.p99)}` +
      `  users ${activeUsers}  total ${total.requests} req, ${total.errors} errors`,
  ]
  const split = splitLine(interval.services)
  if (split) lines.push(`         ${split}`)
  for (const { route, status, count } of interval.errorsByRouteAndStatus.slice(0, 5))
    lines.push(`         ${count} x ${route} -> ${status === 0 ? 'no answer' : status}`)
  return lines
}

/** The final summary: totals, latency, and a table of routes. */
export function summaryLines(total: StatsSnapshot, maxErrorRate: number): string[] {
  const width = Math.max(5, ...total.routes.map((route) => route.route.length))
  const verdict = total.errorRate > maxErrorRate ? 'FAILED' : 'PASSED'
  return [
    '',
    `Summary: ${total.requests} requests in ${total.elapsedSeconds.toFixed(1)} s, ` +
      `${(total.requests / Math.max(total.elapsedSeconds, 0.001)).toFixed(1)} req/s, ` +
      `${total.errors} errors (${percent(total.errorRate)}; threshold ${percent(maxErrorRate)}: ${verdict})`,
    `Latency: p50 ${ms(total.latency.p50)}  p95 ${ms(total.latency.p95)}  p99 ${ms(total.latency.p99)}  max ${ms(total.latency.max)}`,
    `Journeys: ${Object.entries(total.journeys)
      .map(
        ([name, counts]) => `${name} ${counts.completed}${counts.failed ? ` (${counts.failed} failed)` : ''}`,
      )
      .join(', ')}`,
    '',
    `${'route'.padEnd(width)}  requests  errors     p50     p95     p99  statuses`,
    ...total.routes.map(
      (route) =>
        `${route.route.padEnd(width)}  ${String(route.requests).padStart(8)}  ${String(route.errors).padStart(6)}` +
        `  ${ms(route.p50).padStart(6)}  ${ms(route.p95).padStart(6)}  ${ms(route.p99).padStart(6)}  ` +
        Object.entries(route.statuses)
          .map(([status, count]) => `${status}x${count}`)
          .join(' '),
    ),
    '',
    ...versionTableLines(total.services),
  ]
}

/**
 * The live split, for services with more than one version or with errors:
 * `product-catalog v1 79% v2 21% | order-management v1 100% (errors 12.0%)`.
 */
export function splitLine(services: ServiceSummary[]): string | undefined {
  const shown = services
    .filter((service) => service.versions.length > 1 || service.errors > 0)
    .map(
      (service) =>
        `${service.service} ${service.versions.map((v) => `${v.version} ${Math.round(v.share * 100)}%`).join(' ')}` +
        (service.errors ? ` (errors ${percent(service.errorRate)})` : ''),
    )
  return shown.length ? shown.join(' | ') : undefined
}

/** A table of every upstream service and version: share, errors and latency. */
export function versionTableLines(services: ServiceSummary[]): string[] {
  const width = Math.max(7, ...services.map((service) => service.service.length))
  return [
    `${'service'.padEnd(width)}  version  requests   share  errors  error rate     p50     p95     p99`,
    ...services.flatMap((service) =>
      service.versions.map(
        (v) =>
          `${service.service.padEnd(width)}  ${v.version.padEnd(7)}  ${String(v.requests).padStart(8)}` +
          `  ${percent(v.share).padStart(6)}  ${String(v.errors).padStart(6)}  ${percent(v.errorRate).padStart(10)}` +
          `  ${ms(v.p50).padStart(6)}  ${ms(v.p95).padStart(6)}  ${ms(v.p99).padStart(6)}`,
      ),
    ),
  ]
}

export function verdictLines(verdicts: Verdict[]): string[] {
  if (!verdicts.length) return []
  return [
    '',
    'Expectations:',
    ...verdicts.map((v) => `${v.passed ? 'PASS' : 'FAIL'}  ${v.expectation}: ${v.detail}`),
  ]
}
