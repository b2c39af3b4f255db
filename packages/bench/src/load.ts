import autocannon from 'autocannon'

export interface LoadResult {
  perSecond: number
  failures: number
}

export interface LoadOptions {
  url: string
  connections: number
  durationSeconds: number
  requests?: autocannon.Request[]
}

/** Drives a target with autocannon (HTTP/1.1 keep-alive connections, one client process: this one). */
export async function drive(options: LoadOptions): Promise<LoadResult> {
  const result = await run(options)
  return {
    perSecond: result['2xx'] / result.duration,
    failures: result.non2xx + result.errors + result.timeouts,
  }
}

/** Several loads at once (one per shopper), as one figure: what they got done together per second. */
export async function driveTogether(loads: readonly LoadOptions[], done: () => number): Promise<LoadResult> {
  const results = await Promise.all(loads.map(run))
  const seconds = Math.max(...results.map((result) => result.duration))
  return {
    perSecond: done() / seconds,
    failures: results.reduce((sum, result) => sum + result.non2xx + result.errors + result.timeouts, 0),
  }
}

function run(options: LoadOptions): Promise<autocannon.Result> {
  return autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationSeconds,
    ...(options.requests ? { requests: options.requests } : {}),
  })
}
