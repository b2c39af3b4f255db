import { ConfigError } from '@shop/service-kit'
import type { ServiceSummary } from './versions.js'

/**
 * A chapter's promise about what the mesh does, checked against what the shoppers met:
 * - `product-catalog=v1:80,v2:20`: the share of the service's requests each version answered, in
 *   percent, within ± the tolerance (percentage points); a version not listed is expected at 0.
 * - `order-management:error-rate<1%`, `order-management/v2:error-rate>20%`: the share of requests the
 *   BFF failed because of that service (or that version of it).
 * - `product-inventory:p95<500ms`: a latency percentile (p50, p95, p99) of the BFF answers the
 *   service (or version) took part in.
 */
export type Expectation =
  | { text: string; kind: 'split'; service: string; shares: Record<string, number> }
  | {
      text: string
      kind: 'error-rate' | 'p50' | 'p95' | 'p99'
      service: string
      version: string | undefined
      comparison: '<' | '>'
      limit: number
    }

export interface Verdict {
  expectation: string
  passed: boolean
  /** What was measured, and why it passed or failed. */
  detail: string
}

/**
 * For a share p measured over n independent requests the standard deviation is sqrt(p(1-p)/n), so a
 * tolerance t holds for a right split 99% of the time once t >= 2.576 sqrt(p(1-p)/n), that is
 * n >= 2.576² p(1-p) / t². With fewer requests a PASS would be a coin toss, so the expectation
 * fails as inconclusive, unless the split is off by so much more than the tolerance that even those
 * few requests prove it wrong (a plain FAIL).
 */
const Z_99 = 2.576

export function requestsNeededForSplit(share: number, tolerance: number): number {
  const p = share / 100
  const t = tolerance / 100
  return Math.ceil((Z_99 * Z_99 * p * (1 - p)) / (t * t))
}

/**
 * An error-rate or latency promise about X% needs at least 3/X requests: with none of n failing,
 * the 95% upper bound of the true rate is about 3/n (the rule of three), so fewer requests cannot
 * tell a rate under X from one above it.
 */
export function requestsNeededForRate(percent: number): number {
  return Math.ceil(300 / Math.max(percent, 0.01))
}

const SERVICE = '([a-z][a-z0-9-]*)'

export function parseExpectation(text: string): Expectation {
  const split = new RegExp(`^${SERVICE}=((?:v[0-9]+:\\d+(?:\\.\\d+)?,?)+)$`).exec(text)
  if (split) {
    const shares = Object.fromEntries(
      split[2]!
        .split(',')
        .filter(Boolean)
        .map((pair) => {
          const [version, share] = pair.split(':')
          return [version!, Number(share)]
        }),
    )
    const total = Object.values(shares).reduce((sum, share) => sum + share, 0)
    if (Math.abs(total - 100) > 0.001)
      throw new ConfigError(`Invalid --expect ${text}: the shares add up to ${total}, not 100`)
    return { text, kind: 'split', service: split[1]!, shares }
  }
  const limit = new RegExp(
    `^${SERVICE}(?:/(v[0-9]+))?:(error-rate|p50|p95|p99)([<>])(\\d+(?:\\.\\d+)?)(%|ms)$`,
  ).exec(text)
  if (limit) {
    const [, service, version, kind, comparison, value, unit] = limit
    if ((kind === 'error-rate') !== (unit === '%'))
      throw new ConfigError(`Invalid --expect ${text}: error-rate is in %, p50/p95/p99 in ms`)
    return {
      text,
      kind: kind as 'error-rate',
      service: service!,
      version,
      comparison: comparison as '<' | '>',
      limit: Number(value),
    }
  }
  throw new ConfigError(
    `Invalid --expect ${text}: use service=v1:80,v2:20, service[/version]:error-rate<1% or service[/version]:p95<300ms`,
  )
}

const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`

export function checkExpectation(
  expectation: Expectation,
  services: ServiceSummary[],
  tolerance: number,
): Verdict {
  const verdict = (passed: boolean, detail: string) => ({ expectation: expectation.text, passed, detail })
  const service = services.find((candidate) => candidate.service === expectation.service)
  if (!service || service.requests === 0) return verdict(false, `no request reached ${expectation.service}`)

  if (expectation.kind === 'split') {
    const versions = new Set([...Object.keys(expectation.shares), ...service.versions.map((v) => v.version)])
    const needed = Math.max(
      ...Object.values(expectation.shares).map((share) => requestsNeededForSplit(share, tolerance)),
    )
    const measured = [...versions].sort().map((version) => {
      const share = (service.versions.find((v) => v.version === version)?.share ?? 0) * 100
      const wanted = expectation.shares[version] ?? 0
      return { version, share, wanted, off: Math.abs(share - wanted) > tolerance }
    })
    const shown = measured.map(({ version, share }) => `${version} ${share.toFixed(1)}%`).join(', ')
    const off = measured.filter((entry) => entry.off)
    // Too few requests can still prove a split wrong: off by more than the tolerance plus the 99% margin.
    const clearlyOff = off.some(
      ({ share, wanted }) =>
        Math.abs(share - wanted) >
        tolerance + 100 * Z_99 * Math.sqrt(((wanted / 100) * (1 - wanted / 100)) / service.requests),
    )
    if (service.requests < needed && !clearlyOff)
      return verdict(
        false,
        `inconclusive: ${service.requests} requests, ${needed} needed for ±${tolerance} points (measured ${shown})`,
      )
    return verdict(
      off.length === 0,
      `measured ${shown} over ${service.requests} requests` +
        (off.length
          ? `; off by more than ${tolerance} points: ${off.map((entry) => `${entry.version} (wanted ${entry.wanted}%)`).join(', ')}`
          : ` (±${tolerance} points)`),
    )
  }

  const scope = expectation.version
    ? service.versions.find((v) => v.version === expectation.version)
    : undefined
  if (expectation.version && !scope)
    return verdict(false, `no request reached ${expectation.service}/${expectation.version}`)
  const requests = scope?.requests ?? service.requests
  const where = `${expectation.service}${expectation.version ? `/${expectation.version}` : ''}`
  if (expectation.kind === 'error-rate') {
    const needed = requestsNeededForRate(expectation.limit)
    const rate = scope?.errorRate ?? service.errorRate
    const shown = `${where} error rate ${percent(rate)} over ${requests} requests`
    if (requests < needed)
      return verdict(false, `inconclusive: ${shown}, ${needed} needed for a limit of ${expectation.limit}%`)
    const passed =
      expectation.comparison === '<' ? rate * 100 < expectation.limit : rate * 100 > expectation.limit
    return verdict(passed, shown)
  }
  // A latency percentile over all its versions is the worst of the versions' (a safe reading for "<").
  const percentile = expectation.kind as 'p50' | 'p95' | 'p99'
  const value = scope ? scope[percentile] : Math.max(...service.versions.map((v) => v[percentile]))
  const passed = expectation.comparison === '<' ? value < expectation.limit : value > expectation.limit
  return verdict(passed, `${where} ${expectation.kind} ${value}ms over ${requests} requests`)
}
