import { repeatWhileUp, type ServiceApp } from '@shop/service-kit'
import type { Reservations } from './domain/reservations.js'

/**
 * Settles, every interval, what crashed requests left unfinished (domain/reservations.ts, I7). Each
 * instance sweeps on its own: the sweep is idempotent, so several at once are harmless.
 */
export function scheduleSweeps(app: ServiceApp, reservations: Reservations, intervalMs: number): void {
  repeatWhileUp(
    app,
    { intervalMs, failureMessage: 'reservation sweep failed; trying again at the next interval' },
    async () => {
      const settled = await reservations.sweep()
      if (settled > 0) app.log.warn({ settled }, 'settled reservations that unfinished requests left behind')
    },
  )
}
