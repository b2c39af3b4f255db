import { setFlagsFromString } from 'node:v8'

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
