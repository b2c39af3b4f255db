import type { ServiceApp } from './service.js'

export interface RepeatOptions {
  /** Time between the end of one pass and the start of the next. */
  intervalMs: number
  /** Run the first pass as soon as the app is ready (default: after one interval). */
  immediately?: boolean
  /** Logged with the error when a pass throws; the next pass runs as scheduled anyway. */
  failureMessage: string
}

/**
 * Runs `pass` in the background while the app is up: from `onReady`, one pass at a time, each
 * `intervalMs` after the previous one ended. Each instance of a service runs its own, so `pass` must
 * be idempotent. Stopped in `preClose`, before the database closes, so a pass in progress finishes.
 */
export function repeatWhileUp(app: ServiceApp, options: RepeatOptions, pass: () => Promise<unknown>): void {
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined
  let stopped = false

  const guardedPass = async () => {
    try {
      await pass()
    } catch (error) {
      app.log.warn({ err: error }, options.failureMessage)
    }
  }
  const schedule = (delayMs: number) => {
    timer = setTimeout(() => {
      running = guardedPass().finally(() => {
        running = undefined
        if (!stopped) schedule(options.intervalMs)
      })
    }, delayMs)
  }

  app.addHook('onReady', async () => schedule(options.immediately ? 0 : options.intervalMs))
  app.addHook('preClose', async () => {
    stopped = true
    clearTimeout(timer)
    await running
  })
}
