import { parseArgs } from 'node:util'

export interface BenchOptions {
  /** Seconds of load per target in each round. */
  durationSeconds: number
  rounds: number
  /** Concurrent connections the load tool keeps open. */
  connections: number
  /** Where the JSON report goes. */
  out: string
}

const USAGE = `npm run bench -- [--quick] [--duration <seconds>] [--rounds <n>] [--connections <n>] [--out <file>]
  --quick          2 rounds of 5 s per target, instead of 6 rounds of 10 s
  --duration       seconds of load per target and round (default 10: one minute of load per app in all)
  --rounds         interleaved rounds; the best round of each target is kept (default 6)
  --connections    concurrent connections of the load tool (default 50)
  --out            the JSON report (default bench-results.json)`

export class UsageError extends Error {
  constructor(message: string) {
    super(`${message}\n\n${USAGE}`)
  }
}

/** The bench's command line; anything it does not understand is a UsageError naming it. */
export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  let values
  try {
    ;({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        quick: { type: 'boolean', default: false },
        duration: { type: 'string' },
        rounds: { type: 'string' },
        connections: { type: 'string' },
        out: { type: 'string', default: 'bench-results.json' },
      },
    }))
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
  return {
    // A minute of load per target, in six rounds: other work on this shared machine slowed whole rounds
    // by up to half (packages/bench/README.md), and only ever slows one, so the best of six is more
    // often a quiet round for every target than the best of four or two.
    durationSeconds: positiveInteger('--duration', values.duration, values.quick ? 5 : 10),
    rounds: positiveInteger('--rounds', values.rounds, values.quick ? 2 : 6),
    connections: positiveInteger('--connections', values.connections, 50),
    out: values.out,
  }
}

function positiveInteger(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback
  const value = Number(text)
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < 1)
    throw new UsageError(`${flag} must be a whole number of at least 1, not "${text}"`)
  return value
}
