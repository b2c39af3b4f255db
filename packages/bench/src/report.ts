/** One target's figure in one round of load. */
export interface RoundResult {
  target: string
  round: number
  /** Successful answers per second (2xx, or what the target counts as done). */
  perSecond: number
  /** Answers that were not successes, and connection errors. */
  failures: number
}

export interface Ratio {
  name: string
  target: string
  baseline: string
  /** target's best round / baseline's best round. */
  value: number
  /** The least the issue asks for, when it asks. */
  atLeast?: number
  /**
   * target / baseline within each round, where the two ran a few seconds apart: how far the verdict
   * can be trusted on a shared machine, whose other load moves whole rounds.
   */
  sameRound?: Spread | undefined
}

export interface Spread {
  lowest: number
  median: number
  highest: number
}

export interface AppFigures {
  app: string
  readyMs: number
  idleRssMb: number
  /** After the app's last round of load; undefined when the bench did not load it. */
  loadedRssMb?: number | undefined
  limits: { readyMs: number; idleRssMb: number; loadedRssMb: number }
}

/** The best round of each target: a round slowed by a neighbour on a shared machine is not the app's fault. */
export function bestRounds(results: readonly RoundResult[]): Map<string, RoundResult> {
  const best = new Map<string, RoundResult>()
  for (const result of results) {
    const kept = best.get(result.target)
    if (!kept || result.perSecond > kept.perSecond) best.set(result.target, result)
  }
  return best
}

export function ratioOf(
  best: ReadonlyMap<string, RoundResult>,
  name: string,
  target: string,
  baseline: string,
  atLeast?: number,
): Ratio {
  const numerator = best.get(target)?.perSecond ?? 0
  const denominator = best.get(baseline)?.perSecond ?? 0
  return { name, target, baseline, value: denominator > 0 ? numerator / denominator : 0, atLeast }
}

/** The spread of target / baseline over the rounds both were measured in; undefined when none. */
export function sameRoundSpread(
  results: readonly RoundResult[],
  target: string,
  baseline: string,
): Spread | undefined {
  const ratios: number[] = []
  for (const result of results) {
    if (result.target !== target) continue
    const base = results.find((other) => other.target === baseline && other.round === result.round)
    if (base && base.perSecond > 0) ratios.push(result.perSecond / base.perSecond)
  }
  if (!ratios.length) return undefined
  ratios.sort((a, b) => a - b)
  const middle = ratios.length >> 1
  const median = ratios.length % 2 ? ratios[middle]! : (ratios[middle - 1]! + ratios[middle]!) / 2
  return { lowest: ratios[0]!, median, highest: ratios.at(-1)! }
}

export function ratioMet(ratio: Ratio): boolean {
  return ratio.atLeast === undefined || ratio.value >= ratio.atLeast
}

export function appMet(app: AppFigures): boolean {
  return (
    app.readyMs <= app.limits.readyMs &&
    app.idleRssMb <= app.limits.idleRssMb &&
    (app.loadedRssMb === undefined || app.loadedRssMb <= app.limits.loadedRssMb)
  )
}

/** A plain-text table with a header rule; numbers are right-aligned. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  )
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        /^[-\d.,x%<>= ]+$/.test(cell) && column > 0
          ? cell.padStart(widths[column]!)
          : cell.padEnd(widths[column]!),
      )
      .join('  ')
      .trimEnd()
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n')
}

export function formatReport(
  best: ReadonlyMap<string, RoundResult>,
  ratios: readonly Ratio[],
  apps: readonly AppFigures[],
): string {
  const throughput = formatTable(
    ['target', 'per second (best round)', 'failures'],
    [...best.values()].map((result) => [result.target, result.perSecond.toFixed(0), String(result.failures)]),
  )
  const ratioTable = formatTable(
    ['ratio', 'value', 'asked', 'met', 'same round: lowest / median / highest'],
    ratios.map((ratio) => [
      `${ratio.name} (${ratio.target} / ${ratio.baseline})`,
      ratio.value.toFixed(2),
      ratio.atLeast === undefined ? '' : `>= ${ratio.atLeast}`,
      ratio.atLeast === undefined ? '' : ratioMet(ratio) ? 'yes' : 'NO',
      ratio.sameRound === undefined
        ? ''
        : [ratio.sameRound.lowest, ratio.sameRound.median, ratio.sameRound.highest]
            .map((value) => value.toFixed(2))
            .join(' / '),
    ]),
  )
  const appTable = formatTable(
    ['app', 'ready ms', 'idle RSS MiB', 'RSS after load MiB', 'limits (ms / MiB / MiB)', 'met'],
    apps.map((app) => [
      app.app,
      app.readyMs.toFixed(0),
      app.idleRssMb.toFixed(0),
      app.loadedRssMb === undefined ? '' : app.loadedRssMb.toFixed(0),
      `${app.limits.readyMs} / ${app.limits.idleRssMb} / ${app.limits.loadedRssMb}`,
      appMet(app) ? 'yes' : 'NO',
    ]),
  )
  return [throughput, ratioTable, appTable].join('\n\n')
}
