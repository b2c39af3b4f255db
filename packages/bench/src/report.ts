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
    ['ratio', 'value', 'asked', 'met'],
    ratios.map((ratio) => [
      `${ratio.name} (${ratio.target} / ${ratio.baseline})`,
      ratio.value.toFixed(2),
      ratio.atLeast === undefined ? '' : `>= ${ratio.atLeast}`,
      ratio.atLeast === undefined ? '' : ratioMet(ratio) ? 'yes' : 'NO',
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
