import { repeatWhileUp, type ServiceApp } from '@shop/service-kit'
import { reconcile, type SettleDependencies } from './domain/settle.js'

/**
 * Settles checkouts whose lease ended (docs/checkout.md): once when the service is ready, then every
 * interval. Each instance runs its own: settling is idempotent, so two at once are harmless.
 */
export function scheduleReconciler(app: ServiceApp, deps: SettleDependencies, intervalMs: number): void {
  repeatWhileUp(
    app,
    {
      intervalMs,
      immediately: true,
      failureMessage: 'checkout reconciliation failed; trying again at the next interval',
    },
    () => reconcile(deps, app.log),
  )
}
