import { build, type Histogram } from 'hdr-histogram-js'

/** The BFF itself, listed first in x-shop-served-by; the mesh's choices are the services after it. */
const BFF = 'ecommerce-ui'
/** Version of a service that failed without naming itself (a timeout, an unreachable service). */
export const UNKNOWN_VERSION = '?'

/** What the BFF said about one request: which versions served it, and which service failed it. */
export interface MeshAnswer {
  /** From `x-shop-served-by`: `['ecommerce-ui/v1', 'product-catalog/v2']`. */
  servedBy: string[]
  /** The service a 5xx problem of the BFF names (`upstream.service`), when it names one. */
  failedService?: string | undefined
  latencyMs: number
  /** Whether the journey expected the answer; an unexpected one counts against the failed service. */
  expected: boolean
}

export interface VersionSummary {
  version: string
  requests: number
  /** Share of the service's requests this version answered, 0..1. */
  share: number
  errors: number
  errorRate: number
  p50: number
  p95: number
  p99: number
}

export interface ServiceSummary {
  service: string
  requests: number
  errors: number
  errorRate: number
  /** Sorted by version name. */
  versions: VersionSummary[]
}

class VersionTally {
  requests = 0
  errors = 0
  readonly latency: Histogram = build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000,
    numberOfSignificantValueDigits: 3,
  })

  add(latencyMs: number, failed: boolean): void {
    this.requests++
    if (failed) this.errors++
    this.latency.recordValue(Math.max(1, Math.round(latencyMs)))
  }
}

/**
 * Per service of the shop, which version answered and how it went: the mesh's routing as the
 * shoppers met it. A request counts for every service version that took part in it (the BFF's
 * header lists them); its latency is the whole BFF answer's, so a slow service shows on every
 * version that shared its requests; an error counts only against the service the BFF blamed.
 */
export class VersionStats {
  private readonly services = new Map<string, Map<string, VersionTally>>()

  record(answer: MeshAnswer): void {
    const seen = new Set<string>()
    for (const entry of answer.servedBy) {
      const slash = entry.indexOf('/')
      if (slash < 0) continue
      const service = entry.slice(0, slash)
      if (service === BFF || seen.has(service)) continue
      seen.add(service)
      const failed = !answer.expected && answer.failedService === service
      this.tally(service, entry.slice(slash + 1)).add(answer.latencyMs, failed)
    }
    // The failed service did not say which version it was (it never answered): an unknown version.
    if (!answer.expected && answer.failedService && !seen.has(answer.failedService))
      this.tally(answer.failedService, UNKNOWN_VERSION).add(answer.latencyMs, true)
  }

  summary(): ServiceSummary[] {
    return [...this.services]
      .map(([service, versions]) => {
        const requests = sum([...versions.values()].map((tally) => tally.requests))
        const errors = sum([...versions.values()].map((tally) => tally.errors))
        return {
          service,
          requests,
          errors,
          errorRate: requests ? errors / requests : 0,
          versions: [...versions]
            .map(([version, tally]) => ({
              version,
              requests: tally.requests,
              share: requests ? tally.requests / requests : 0,
              errors: tally.errors,
              errorRate: tally.requests ? tally.errors / tally.requests : 0,
              p50: tally.latency.getValueAtPercentile(50),
              p95: tally.latency.getValueAtPercentile(95),
              p99: tally.latency.getValueAtPercentile(99),
            }))
            .sort((a, b) => a.version.localeCompare(b.version)),
        }
      })
      .sort((a, b) => a.service.localeCompare(b.service))
  }

  private tally(service: string, version: string): VersionTally {
    let versions = this.services.get(service)
    if (!versions) this.services.set(service, (versions = new Map()))
    let tally = versions.get(version)
    if (!tally) versions.set(version, (tally = new VersionTally()))
    return tally
  }
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0)

/** `ecommerce-ui/v1, product-catalog/v2` -> its entries. */
export function parseServedBy(header: string | null): string[] {
  return (header ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
}
