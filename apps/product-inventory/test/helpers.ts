import type {
  InventoryItem,
  Reservation,
  ReservationLine as Line,
  Shortage,
  StockMovement as Movement,
} from '@shop/contracts'
import type { Problem as KitProblem } from '@shop/service-kit'
import { callJson, startApp, type JsonAnswer, type StartedApp } from '@shop/test-support'

export type Answer<Body> = JsonAnswer<Body>

export type { InventoryItem, Line, Movement, Reservation }

/** The problem every service answers, with the shortages an insufficient-stock problem names. */
export type Problem = KitProblem & { shortages?: Shortage[] }

/** A reservation (2xx) or a problem (4xx): which one, the status code says. */
export type ReservationAnswer = Partial<Omit<Reservation, 'status'> & Omit<Problem, 'status'>> & {
  status: Reservation['status'] | number
}

export function call<Body>(app: StartedApp, method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown) {
  return callJson<Body>(`${app.url}${path}`, { method, body })
}

export function reserve(app: StartedApp, orderId: string, items: Line[]) {
  return call<ReservationAnswer>(app, 'POST', '/api/reservations', { orderId, items })
}

export function release(app: StartedApp, orderId: string) {
  return call<ReservationAnswer>(app, 'DELETE', `/api/reservations/${orderId}`)
}

export async function available(app: StartedApp, productId: string): Promise<number> {
  const { status, body } = await call<InventoryItem>(app, 'GET', `/api/inventory/${productId}`)
  if (status !== 200) throw new Error(`GET /api/inventory/${productId} answered ${status}`)
  return body.available
}

/** The whole stock of every product, by product id. */
export async function stockSnapshot(app: StartedApp): Promise<Record<string, number>> {
  const { body } = await call<{ items: InventoryItem[] }>(app, 'GET', '/api/inventory')
  return Object.fromEntries(body.items.map((item) => [item.productId, item.available]))
}

/** A product's whole ledger over HTTP, oldest first. */
export async function ledgerOf(app: StartedApp, productId: string): Promise<Movement[]> {
  const entries: Movement[] = []
  for (let page = 1; ; page++) {
    const { status, body } = await call<{ items: Movement[]; total: number }>(
      app,
      'GET',
      `/api/inventory/${productId}/movements?pageSize=500&page=${page}`,
    )
    if (status !== 200) throw new Error(`movements of ${productId} answered ${status}`)
    entries.push(...body.items)
    if (entries.length >= body.total || body.items.length === 0) break
  }
  return entries.reverse()
}

/**
 * What is wrong with a product's ledger (empty when nothing): seqs contiguous from 0, each entry the
 * one before plus its change, never negative, and per order at most one take and one give-back, the
 * give-back after the take and for the same units.
 */
export function ledgerProblems(entries: readonly Movement[]): string[] {
  const problems: string[] = []
  let stock = 0
  entries.forEach((entry, index) => {
    if (entry.seq !== index) problems.push(`entry ${index} has seq ${entry.seq}`)
    stock += entry.change
    if (entry.availableAfter !== stock)
      problems.push(`seq ${entry.seq}: availableAfter ${entry.availableAfter}, changes sum to ${stock}`)
    if (entry.availableAfter < 0) problems.push(`seq ${entry.seq}: negative stock ${entry.availableAfter}`)
  })
  const byOrder = Map.groupBy(
    entries.filter((entry) => entry.orderId),
    (entry) => entry.orderId!,
  )
  for (const [orderId, movements] of byOrder) {
    const takes = movements.filter((entry) => entry.reason === 'reservation')
    const givebacks = movements.filter((entry) => entry.reason === 'release')
    if (takes.length > 1) problems.push(`order ${orderId} took ${takes.length} times`)
    if (givebacks.length > 1) problems.push(`order ${orderId} gave back ${givebacks.length} times`)
    const [take] = takes
    const [giveback] = givebacks
    if (giveback && (!take || giveback.seq < take.seq || giveback.change !== -take.change))
      problems.push(`order ${orderId} gave back what it did not take`)
  }
  return problems
}

/** Units each order holds of a product at the end of its ledger (takes not given back). */
export function heldByOrder(entries: readonly Movement[]): Map<string, number> {
  const held = new Map<string, number>()
  for (const entry of entries)
    if (entry.orderId) held.set(entry.orderId, (held.get(entry.orderId) ?? 0) - entry.change)
  for (const [orderId, units] of held) if (units === 0) held.delete(orderId)
  return held
}

export function startInventory(env: Record<string, string>): Promise<StartedApp> {
  return startApp('product-inventory', { env })
}

export async function waitFor(condition: () => Promise<boolean>, what: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
