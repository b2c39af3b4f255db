import type { ServiceApp } from '@shop/service-kit'
import { reconcile, type SettleDependencies } from './domain/settle.js'

/**
 * Settles checkouts whose lease ended (docs/checkout.md): once when the service is ready, then every
 * interval. Each instance runs its own: settling is idempotent, so two at once are harmless.
 */
export function scheduleReconciler(app: ServiceApp, deps: SettleDependencies, intervalMs: number): void {
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined
  let stopped = false

  const pass = async () => {
    try {
      await reconcile(deps, app.log)
    } catch (error) {
      app.log.warn({ err: error }, 'checkout reconciliation failed; trying again at the next interval')
    }
  }
  const schedule = (delayMs: number) => {
    timer = setTimeout(() => {
      running = pass().finally(() => {
        running = undefined
        if (!stopped) schedule(intervalMs)
      })
    }, delayMs)
  }

  app.addHook('onReady', async () => schedule(0))
  // Before the database closes, so that a pass in progress finishes its steps.
  app.addHook('preClose', async () => {
    stopped = true
    clearTimeout(timer)
    await running
  })
}
