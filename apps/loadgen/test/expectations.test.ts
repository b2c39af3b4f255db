import { describe, expect, it } from 'vitest'
import {
  checkExpectation,
  parseExpectation,
  requestsNeededForRate,
  requestsNeededForSplit,
} from '../src/expectations.js'
import { VersionStats } from '../src/versions.js'

/** `count` BFF answers served by the UI and this version of the catalog. */
function answers(stats: VersionStats, version: string, count: number, failedShare = 0): void {
  for (let i = 0; i < count; i++) {
    const failed = i < count * failedShare
    stats.record({
      servedBy: ['ecommerce-ui/v1', `product-catalog/${version}`],
      failedService: failed ? 'product-catalog' : undefined,
      latencyMs: version === 'v2' ? 200 : 20,
      expected: !failed,
    })
  }
}

describe('VersionStats', () => {
  it('counts per service the version that answered, its share, errors and latency; the BFF is not a service', () => {
    const stats = new VersionStats()
    answers(stats, 'v1', 80)
    answers(stats, 'v2', 20, 0.5)
    // A timeout names the service but no version: it counts as an error of an unknown version.
    stats.record({
      servedBy: ['ecommerce-ui/v1'],
      failedService: 'product-inventory',
      latencyMs: 3000,
      expected: false,
    })
    const [catalog, inventory, ...rest] = stats.summary()
    expect(rest).toEqual([])
    expect(catalog).toMatchObject({ service: 'product-catalog', requests: 100, errors: 10, errorRate: 0.1 })
    expect(
      catalog!.versions.map(({ version, requests, share, errors }) => ({ version, requests, share, errors })),
    ).toEqual([
      { version: 'v1', requests: 80, share: 0.8, errors: 0 },
      { version: 'v2', requests: 20, share: 0.2, errors: 10 },
    ])
    expect(catalog!.versions[1]!.p95).toBeGreaterThanOrEqual(199)
    expect(inventory).toMatchObject({ service: 'product-inventory', versions: [{ version: '?', errors: 1 }] })
  })
})

describe('expectations', () => {
  it('reads splits, error rates and latency limits, and refuses what it cannot read', () => {
    expect(parseExpectation('product-catalog=v1:80,v2:20')).toMatchObject({
      kind: 'split',
      service: 'product-catalog',
      shares: { v1: 80, v2: 20 },
    })
    expect(parseExpectation('order-management/v2:error-rate>20%')).toMatchObject({
      kind: 'error-rate',
      service: 'order-management',
      version: 'v2',
      comparison: '>',
      limit: 20,
    })
    expect(parseExpectation('product-inventory:p95<500ms')).toMatchObject({ kind: 'p95', limit: 500 })
    expect(() => parseExpectation('product-catalog=v1:80,v2:30')).toThrow(/add up to 110/)
    expect(() => parseExpectation('product-catalog:error-rate<1ms')).toThrow(/error-rate is in %/)
    expect(() => parseExpectation('catalog is fine')).toThrow(/Invalid --expect/)
  })

  it('needs enough requests for the tolerance to mean something (binomial, 99%)', () => {
    // 2.576² × 0.8 × 0.2 / 0.05² = 424.7
    expect(requestsNeededForSplit(20, 5)).toBe(425)
    expect(requestsNeededForSplit(50, 5)).toBe(664)
    expect(requestsNeededForSplit(20, 10)).toBe(107)
    expect(requestsNeededForRate(1)).toBe(300)
  })

  it('passes a split within tolerance, fails one outside it, and fails as inconclusive with too few requests', () => {
    const stats = new VersionStats()
    answers(stats, 'v1', 400)
    answers(stats, 'v2', 100)
    const services = stats.summary()
    expect(checkExpectation(parseExpectation('product-catalog=v1:80,v2:20'), services, 5)).toMatchObject({
      passed: true,
      detail: 'measured v1 80.0%, v2 20.0% over 500 requests (±5 points)',
    })
    const wrong = checkExpectation(parseExpectation('product-catalog=v1:50,v2:50'), services, 5)
    expect(wrong.passed).toBe(false)
    expect(wrong.detail).toMatch(/off by more than 5 points: v1 \(wanted 50%\), v2 \(wanted 50%\)/)
    expect(checkExpectation(parseExpectation('product-catalog=v1:100'), services, 5).passed).toBe(false)
    const few = checkExpectation(parseExpectation('product-catalog=v1:80,v2:20'), services, 2)
    expect(few).toMatchObject({ passed: false })
    expect(few.detail).toMatch(/^inconclusive: 500 requests, 2655 needed/)
    expect(checkExpectation(parseExpectation('order-management:error-rate<1%'), services, 5).detail).toBe(
      'no request reached order-management',
    )
  })

  it('checks error rates and latency per service or version', () => {
    const stats = new VersionStats()
    answers(stats, 'v1', 300)
    answers(stats, 'v2', 300, 0.3)
    const services = stats.summary()
    const check = (text: string) => checkExpectation(parseExpectation(text), services, 5)
    expect(check('product-catalog/v1:error-rate<1%')).toMatchObject({ passed: true })
    expect(check('product-catalog/v2:error-rate>20%')).toMatchObject({
      passed: true,
      detail: 'product-catalog/v2 error rate 30.0% over 300 requests',
    })
    expect(check('product-catalog:error-rate<1%')).toMatchObject({ passed: false })
    expect(check('product-catalog/v1:p95<100ms')).toMatchObject({ passed: true })
    expect(check('product-catalog:p95<100ms')).toMatchObject({ passed: false })
    expect(check('product-catalog/v3:error-rate<1%')).toMatchObject({ passed: false })
  })
})
