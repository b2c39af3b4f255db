import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

/**
 * From now on, lets the old generation grow to twice what the last mark-compact left before the next.
 * Under load V8 chose about a third for the BFF (26 to 35 MB) and marked its whole heap again twice a
 * second: 20 mark-compacts per 20,000 pages, 6-7 with this, and a tenth fewer instructions per page for
 * the BFF and the exporting catalog (packages/bench/README.md). Set once an app is serving, not on the
 * command line: while an app starts, V8's own choice collects its start-up garbage sooner, and an app
 * whose heap was allowed to double during start idled up to 8 MiB higher.
 */
export function letOldGenerationDouble(): void {
  setFlagsFromString('--heap-growing-percent=100')
}

export interface StartUpCollection {
  rssBeforeMiB: number
  rssAfterMiB: number
  heapUsedBeforeMiB: number
  heapUsedAfterMiB: number
  durationMs: number
}

/**
 * Collects what start-up left behind, once, as V8 collects before it gives up for lack of memory: a
 * compacting collection that hands the emptied pages back to the system (a regular full collection
 * frees as much but keeps the pages). An idle app then holds 5-11 MiB less
 * (packages/bench/README.md). V8's memory reducer is meant to do this when a process goes idle, but
 * it waits for a low allocation rate, which it reads from its last collections, those of start-up: it
 * found none of the apps idle (`--trace-memory-reducer`: "high alloc", again every 8 s).
 *
 * `gc` is exposed to a context of its own, not to the app's global scope.
 */
export function collectStartUpGarbage(): StartUpCollection {
  setFlagsFromString('--expose-gc')
  const gc = runInNewContext('gc') as NodeJS.GCFunction
  const before = process.memoryUsage()
  const started = performance.now()
  gc({ type: 'major', execution: 'sync', flavor: 'last-resort' })
  const durationMs = performance.now() - started
  const after = process.memoryUsage()
  return {
    rssBeforeMiB: mebibytes(before.rss),
    rssAfterMiB: mebibytes(after.rss),
    heapUsedBeforeMiB: mebibytes(before.heapUsed),
    heapUsedAfterMiB: mebibytes(after.heapUsed),
    durationMs: Math.round(durationMs),
  }
}

function mebibytes(bytes: number): number {
  return Math.round((bytes / 1024 / 1024) * 10) / 10
}
