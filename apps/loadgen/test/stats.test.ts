import { describe, expect, it } from 'vitest'
import { Stats } from '../src/stats.js'
import { durationSeconds } from '../src/config.js'

describe('Stats', () => {
  it('counts only unexpected answers as errors, by route and status', () => {
    const stats = new Stats()
    for (let i = 0; i < 97; i++)
      stats.record({ route: 'GET /api/products', status: 200, latencyMs: 10, expected: true })
    stats.record({ route: 'POST /api/orders', status: 409, latencyMs: 30, expected: true })
    stats.record({ route: 'POST /api/orders', status: 502, latencyMs: 40, expected: false })
    stats.record({ route: 'POST /api/orders', status: 0, latencyMs: 10_000, expected: false })

    const total = stats.snapshot()
    expect(total).toMatchObject({ requests: 100, errors: 2, errorRate: 0.02 })
    expect(total.errorsByRouteAndStatus).toEqual([
      { route: 'POST /api/orders', status: 502, count: 1 },
      { route: 'POST /api/orders', status: 0, count: 1 },
    ])
    const orders = total.routes.find((route) => route.route === 'POST /api/orders')!
    expect(orders).toMatchObject({ requests: 3, errors: 2, statuses: { '409': 1, '502': 1, '0': 1 } })
  })

  it('reports latency percentiles', () => {
    const stats = new Stats()
    for (let ms = 1; ms <= 1000; ms++)
      stats.record({ route: 'GET /x', status: 200, latencyMs: ms, expected: true })
    const { latency } = stats.snapshot()
    expect(latency.p50).toBeGreaterThanOrEqual(499)
    expect(latency.p50).toBeLessThanOrEqual(501)
    expect(latency.p99).toBeGreaterThanOrEqual(989)
    expect(latency.p99).toBeLessThanOrEqual(991)
    expect(latency.max).toBeGreaterThanOrEqual(1000)
  })

  it('starts a new interval at each report while the totals go on', () => {
    const stats = new Stats()
    stats.record({ route: 'GET /x', status: 200, latencyMs: 5, expected: true })
    expect(stats.takeInterval().requests).toBe(1)
    stats.record({ route: 'GET /x', status: 500, latencyMs: 5, expected: false })
    const interval = stats.takeInterval()
    expect(interval).toMatchObject({ requests: 1, errors: 1, errorRate: 1 })
    expect(interval.errorsByRouteAndStatus).toEqual([{ route: 'GET /x', status: 500, count: 1 }])
    stats.record({ route: 'GET /x', status: 200, latencyMs: 5, expected: true })
    expect(stats.takeInterval().errorsByRouteAndStatus).toEqual([])
    expect(stats.snapshot()).toMatchObject({ requests: 3, errors: 1 })
  })

  it('reads durations with units', () => {
    expect([
      durationSeconds('90'),
      durationSeconds('90s'),
      durationSeconds('5m'),
      durationSeconds('1h'),
    ]).toEqual([90, 90, 300, 3600])
    expect(durationSeconds('0')).toBe(0)
  })
})
