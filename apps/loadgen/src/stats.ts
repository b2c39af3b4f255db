import { build, type Histogram } from 'hdr-histogram-js'
import { VersionStats, type ServiceSummary } from './versions.js'

/** What one request came to, as a step of a journey saw it. */
export interface Outcome {
  /** `METHOD /route/template`, so requests group by route and not by URL. */
  route: string
  /** HTTP status, or 0 when no answer came (refused, reset, timed out). */
  status: number
  latencyMs: number
  /** Whether the journey expected this answer (a 409 "sold out" at checkout is expected). */
  expected: boolean
  /** The service versions that served it, from the BFF's `x-shop-served-by` (absent: none known). */
  servedBy?: string[]
  /** The service the BFF's problem blames, when the answer is one. */
  failedService?: string | undefined
}

export interface LatencySummary {
  p50: number
  p95: number
  p99: number
  max: number
}

export interface RouteSummary extends LatencySummary {
  route: string
  requests: number
  errors: number
  /** Count per status code, as strings (`"0"` for no answer). */
  statuses: Record<string, number>
}

export interface StatsSnapshot {
  elapsedSeconds: number
  requests: number
  errors: number
  errorRate: number
  requestsPerSecond: number
  latency: LatencySummary
  routes: RouteSummary[]
  /** Unexpected answers by `route status`, most frequent first. */
  errorsByRouteAndStatus: { route: string; status: number; count: number }[]
  journeys: Record<string, { completed: number; failed: number }>
  /** Per upstream service, which versions answered, their error rates and latency (in the period). */
  services: ServiceSummary[]
}

function histogram(): Histogram {
  return build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000,
    numberOfSignificantValueDigits: 3,
  })
}

class Tally {
  requests = 0
  errors = 0
  readonly latency = histogram()
  readonly statuses = new Map<number, number>()
  /** Unexpected answers by `route status`. */
  readonly unexpected = new Map<string, number>()

  add(outcome: Outcome): void {
    this.requests++
    if (!outcome.expected) {
      this.errors++
      const key = `${outcome.route} ${outcome.status}`
      this.unexpected.set(key, (this.unexpected.get(key) ?? 0) + 1)
    }
    this.latency.recordValue(Math.max(1, Math.round(outcome.latencyMs)))
    this.statuses.set(outcome.status, (this.statuses.get(outcome.status) ?? 0) + 1)
  }

  latencySummary(): LatencySummary {
    const at = (percentile: number) => (this.requests ? this.latency.getValueAtPercentile(percentile) : 0)
    return { p50: at(50), p95: at(95), p99: at(99), max: this.requests ? this.latency.maxValue : 0 }
  }
}

/**
 * Counts and latency percentiles (HDR histograms, so memory stays flat however long the run), in
 * total and per route, plus an interval view that resets at each progress report.
 */
export class Stats {
  private readonly started = Date.now()
  private total = new Tally()
  private interval = new Tally()
  private readonly totalVersions = new VersionStats()
  private intervalVersions = new VersionStats()
  private intervalStarted = Date.now()
  private readonly routes = new Map<string, Tally>()
  private readonly journeys = new Map<string, { completed: number; failed: number }>()

  record(outcome: Outcome): void {
    this.total.add(outcome)
    this.interval.add(outcome)
    const answer = { ...outcome, servedBy: outcome.servedBy ?? [] }
    this.totalVersions.record(answer)
    this.intervalVersions.record(answer)
    let route = this.routes.get(outcome.route)
    if (!route) this.routes.set(outcome.route, (route = new Tally()))
    route.add(outcome)
  }

  journeyEnded(name: string, completed: boolean): void {
    const counts = this.journeys.get(name) ?? { completed: 0, failed: 0 }
    if (completed) counts.completed++
    else counts.failed++
    this.journeys.set(name, counts)
  }

  /** Everything since the start. */
  snapshot(): StatsSnapshot {
    return this.summarize(this.total, this.totalVersions, (Date.now() - this.started) / 1000)
  }

  /** Since the previous call (or the start), then starts a new interval. */
  takeInterval(): StatsSnapshot {
    const summary = this.summarize(
      this.interval,
      this.intervalVersions,
      (Date.now() - this.intervalStarted) / 1000,
    )
    this.interval = new Tally()
    this.intervalVersions = new VersionStats()
    this.intervalStarted = Date.now()
    return summary
  }

  private summarize(tally: Tally, versions: VersionStats, seconds: number): StatsSnapshot {
    return {
      elapsedSeconds: (Date.now() - this.started) / 1000,
      requests: tally.requests,
      errors: tally.errors,
      errorRate: tally.requests ? tally.errors / tally.requests : 0,
      requestsPerSecond: seconds > 0 ? tally.requests / seconds : 0,
      latency: tally.latencySummary(),
      routes: [...this.routes]
        .map(([route, routeTally]) => ({
          route,
          requests: routeTally.requests,
          errors: routeTally.errors,
          statuses: Object.fromEntries(
            [...routeTally.statuses].map(([status, count]) => [String(status), count]),
          ),
          ...routeTally.latencySummary(),
        }))
        .sort((a, b) => b.requests - a.requests),
      errorsByRouteAndStatus: [...tally.unexpected]
        .map(([key, count]) => {
          const split = key.lastIndexOf(' ')
          return { route: key.slice(0, split), status: Number(key.slice(split + 1)), count }
        })
        .sort((a, b) => b.count - a.count),
      journeys: Object.fromEntries(this.journeys),
      services: versions.summary(),
    }
  }
}
