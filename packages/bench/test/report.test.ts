import { describe, expect, it } from 'vitest'
import { parseBenchArgs, UsageError } from '../src/args.ts'
import {
  appMet,
  bestRounds,
  formatTable,
  ratioMet,
  ratioOf,
  sameRoundSpread,
  type RoundResult,
} from '../src/report.ts'

const rounds: RoundResult[] = [
  { target: 'untraced', round: 1, perSecond: 900, failures: 0 },
  { target: 'traced', round: 1, perSecond: 500, failures: 0 },
  { target: 'untraced', round: 2, perSecond: 1000, failures: 2 },
  { target: 'traced', round: 2, perSecond: 850, failures: 0 },
]

describe('bench figures', () => {
  it('keeps the best round of each target and divides best by best', () => {
    const best = bestRounds(rounds)
    expect(best.get('untraced')).toMatchObject({ round: 2, perSecond: 1000, failures: 2 })
    expect(best.get('traced')).toMatchObject({ round: 2, perSecond: 850 })
    const ratio = ratioOf(best, 'tracing on', 'traced', 'untraced', 0.8)
    expect(ratio.value).toBeCloseTo(0.85)
    expect(ratioMet(ratio)).toBe(true)
    expect(ratioMet({ ...ratio, atLeast: 0.9 })).toBe(false)
  })

  it('spreads the ratios of the rounds where both ran, pairing each round with its own baseline', () => {
    const results: RoundResult[] = [
      ...rounds,
      { target: 'untraced', round: 3, perSecond: 400, failures: 0 },
      { target: 'traced', round: 3, perSecond: 380, failures: 0 },
      { target: 'traced', round: 4, perSecond: 999, failures: 0 },
    ]
    // Rounds 1-3: 500/900, 850/1000, 380/400; round 4 has no baseline and counts for nothing.
    const spread = sameRoundSpread(results, 'traced', 'untraced')!
    expect(spread.lowest).toBeCloseTo(500 / 900)
    expect(spread.median).toBeCloseTo(0.85)
    expect(spread.highest).toBeCloseTo(0.95)
    expect(sameRoundSpread(rounds, 'traced', 'untraced')!.median).toBeCloseTo((500 / 900 + 0.85) / 2)
    expect(sameRoundSpread(rounds, 'traced', 'missing')).toBeUndefined()
  })

  it('gives a ratio of 0, not Infinity or NaN, when the baseline got nothing done', () => {
    const best = bestRounds([{ target: 'zero', round: 1, perSecond: 0, failures: 5 }, ...rounds])
    expect(ratioOf(best, 'r', 'traced', 'zero').value).toBe(0)
    expect(ratioOf(best, 'r', 'traced', 'missing').value).toBe(0)
  })

  it('checks an app against each of its limits, and its RSS after load only when it was loaded', () => {
    const limits = { readyMs: 1500, idleRssMb: 100, loadedRssMb: 180 }
    const app = { app: 'a', readyMs: 900, idleRssMb: 80, loadedRssMb: 150, limits }
    expect(appMet(app)).toBe(true)
    expect(appMet({ ...app, readyMs: 1600 })).toBe(false)
    expect(appMet({ ...app, idleRssMb: 101 })).toBe(false)
    expect(appMet({ ...app, loadedRssMb: 181 })).toBe(false)
    expect(appMet({ ...app, loadedRssMb: undefined })).toBe(true)
  })

  it('aligns a table: text to the left, figures to the right', () => {
    expect(
      formatTable(
        ['target', 'req/s'],
        [
          ['a long name', '7'],
          ['b', '1234'],
        ],
      ),
    ).toBe(
      ['target       req/s', '-----------  -----', 'a long name      7', 'b             1234'].join('\n'),
    )
  })
})

describe('bench arguments', () => {
  it('defaults to six rounds of 10 s (a minute of load per app), and --quick to two of 5 s', () => {
    expect(parseBenchArgs([])).toEqual({
      durationSeconds: 10,
      rounds: 6,
      connections: 50,
      out: 'bench-results.json',
    })
    expect(parseBenchArgs(['--quick'])).toMatchObject({ durationSeconds: 5, rounds: 2 })
    expect(parseBenchArgs(['--quick', '--duration', '12', '--rounds', '3', '--out', 'x.json'])).toMatchObject(
      {
        durationSeconds: 12,
        rounds: 3,
        out: 'x.json',
      },
    )
  })

  it('refuses what it does not understand, naming it', () => {
    expect(() => parseBenchArgs(['--duration', '0'])).toThrow(/--duration must be a whole number/)
    expect(() => parseBenchArgs(['--rounds', '1.5'])).toThrow(UsageError)
    expect(() => parseBenchArgs(['--fast'])).toThrow(/Unknown option '--fast'/)
    expect(() => parseBenchArgs(['extra'])).toThrow(UsageError)
  })
})
