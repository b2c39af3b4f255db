import type { FastifyBaseLogger } from 'fastify'
import type { InventoryClient } from '../clients/inventory.js'
import type { ShippingClient } from '../clients/shipping.js'
import type { CartLines, CheckoutRecords, Decision, OrderRecords } from './stores.js'

export interface SettleDependencies {
  carts: CartLines
  orders: OrderRecords
  checkouts: CheckoutRecords
  inventory: InventoryClient
  shipping: ShippingClient
}

/** The steps a checkout may have reached (a call whose answer was lost counts as reached). */
export interface StepsReached {
  reservation: boolean
  shipment: boolean
}

/**
 * Finishes a checkout whose own request can no longer be counted on (its lease ended), or that failed
 * before its commit point: decides the order id (aborted, unless it was placed already), then does
 * what that decision needs, and closes the checkout. Every step is idempotent, so any number of
 * settlers (the reconciler on each instance, a retry of the key) may run it at once, and a settler
 * that fails half-way leaves the checkout open for the next one.
 */
export async function settleCheckout(
  deps: SettleDependencies,
  userId: string,
  orderId: string,
  reached: StepsReached = { reservation: true, shipment: true },
): Promise<Decision> {
  const decision = await deps.orders.abort(userId, orderId)
  if (decision.outcome === 'placed') {
    await deps.carts.removeOrdered(userId, decision.orderedLines)
  } else {
    // Both undo nothing when the step never happened, and refuse the step if it lands later.
    if (reached.reservation) await deps.inventory.release(orderId)
    if (reached.shipment) await deps.shipping.cancelShipment(orderId)
  }
  await deps.checkouts.markSettled(orderId)
  return decision
}

/** How many expired checkouts one pass settles at most; the next pass takes the rest. */
const RECONCILE_BATCH = 100

/**
 * One pass of the reconciler: settles every checkout whose lease has ended: stock held without an
 * order is released, an orphan shipment cancelled, a placed order's cart lines removed. Answers how
 * many it settled.
 */
export async function reconcile(deps: SettleDependencies, log: FastifyBaseLogger): Promise<number> {
  const expired = await deps.checkouts.expired(new Date(), RECONCILE_BATCH)
  let settled = 0
  for (const { userId, orderId } of expired) {
    try {
      const decision = await settleCheckout(deps, userId, orderId)
      log.warn({ orderId, outcome: decision.outcome }, 'settled a checkout whose lease had ended')
      settled++
    } catch (error) {
      log.warn({ err: error, orderId }, 'could not settle a checkout yet; the next pass tries again')
    }
  }
  return settled
}
