import type { Order } from '@shop/contracts'
import type { StoredCartLine } from './cart.js'

/*
 * What the checkout saga needs from storage, as the domain sees it; src/store/ implements it on
 * MongoDB (docs/checkout.md says how each write stays safe on FerretDB without transactions).
 */

/**
 * One attempt to place an order under a user's Idempotency-Key. A key has numbered attempts
 * (`<userId>:<key>:1`, `:2`...): the next one is claimed, by unique insert, only once the order of
 * the one before was aborted. Never updated: whether it is done is what the order's decision says.
 */
export interface KeyAttempt {
  id: string
  userId: string
  orderId: string
  requestHash: string
  /** Until then only this attempt's request may work on the order; after it, anyone may settle it. */
  leaseUntil: Date
}

/** A checkout that has started and not been settled yet: what the reconciler looks at. */
export interface OpenCheckout {
  orderId: string
  userId: string
  leaseUntil: Date
}

/** After this many aborted attempts under one key, the key is refused (see CheckoutRecords.claim). */
export const MAX_ATTEMPTS_PER_KEY = 50

export type AttemptClaim =
  { claimed: true; attempt: KeyAttempt } | { claimed: false; attempt: KeyAttempt | undefined }

/** The cart line an order took, as it was when priced: the cart keeps it if it changed since. */
export interface OrderedLine {
  productId: string
  quantity: number
  updatedAt: Date
}

/** What was decided for an order id, once and for ever: placed (the commit point) or aborted. */
export type Decision =
  | { outcome: 'placed'; order: Order; userId: string; orderedLines: OrderedLine[] }
  | { outcome: 'aborted'; userId: string }

export interface PlacedOrderRecord {
  userId: string
  order: Order
  historySlot: number
  orderedLines: OrderedLine[]
}

/** The user's cart lines, as the checkout reads and clears them. */
export interface CartLines {
  lines(userId: string): Promise<(StoredCartLine & { updatedAt: Date })[]>
  /** Removes the ordered lines that did not change since they were priced. */
  removeOrdered(userId: string, lines: readonly OrderedLine[]): Promise<void>
}

/** Open checkouts (the reconciler's handle) and the attempts of each Idempotency-Key. */
export interface CheckoutRecords {
  markOpen(checkout: OpenCheckout): Promise<void>
  markSettled(orderId: string): Promise<void>
  /** Open checkouts whose lease ended before `now`, at most `limit`. */
  expired(now: Date, limit: number): Promise<OpenCheckout[]>
  /** Claims attempt `number` of a key by unique insert, or answers the attempt that holds it. */
  claim(key: string, number: number, attempt: Omit<KeyAttempt, 'id'>): Promise<AttemptClaim>
}

/** Each order's decision, and the user's history it is listed in. */
export interface OrderRecords {
  /** Takes the user's next history slot for this order, before its commit point. */
  allocateSlot(userId: string, orderId: string): Promise<number>
  /** The commit point: stores the placed order, unless an abort was decided first. */
  commit(record: PlacedOrderRecord): Promise<Decision>
  /** Decides the order aborted, unless it was placed first. */
  abort(userId: string, orderId: string): Promise<Decision>
  decision(orderId: string): Promise<Decision | undefined>
  /** Lists a placed order in the user's history head (a cache of the first page). */
  addToHead(userId: string, historySlot: number, order: Order): Promise<void>
}
