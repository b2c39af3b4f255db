import type { ServiceApp } from '@shop/service-kit'
import type { Reservations } from './domain/reservations.js'

/**
 * Settles, every interval, what crashed requests left unfinished (domain/reservations.ts, I7). Each
 * instance sweeps on its own: the sweep is idempotent, so several at once are harmless.
 */
export function scheduleSweeps(app: ServiceApp, reservations: Reservations, intervalMs: number): void {
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined
  let stopped = false

  const sweep = async () => {
    try {
      const settled = await reservations.sweep()
      if (settled > 0) app.log.warn({ settled }, 'settled reservations that unfinished requests left behind')
    } catch (error) {
      app.log.warn({ err: error }, 'reservation sweep failed; trying again at the next interval')
    }
  }
  const schedule = () => {
    timer = setTimeout(() => {
      running = sweep().finally(() => {
        running = undefined
        if (!stopped) schedule()
      })
    }, intervalMs)
  }

  app.addHook('onReady', async () => schedule())
  // Before the database closes, so that a sweep in progress finishes its steps.
  app.addHook('preClose', async () => {
    stopped = true
    clearTimeout(timer)
    await running
  })
}
