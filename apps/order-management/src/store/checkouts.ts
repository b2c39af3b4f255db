import { ensureIndexes, isDuplicateKeyError } from '@shop/service-kit'
import type { Collection, Db } from 'mongodb'

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

type KeyAttemptDocument = Omit<KeyAttempt, 'id'> & { _id: string }
type OpenCheckoutDocument = Omit<OpenCheckout, 'orderId'> & { _id: string }

/** After this many aborted attempts under one key, the key is refused (see CheckoutLog.claim). */
export const MAX_ATTEMPTS_PER_KEY = 50

export type AttemptClaim =
  { claimed: true; attempt: KeyAttempt } | { claimed: false; attempt: KeyAttempt | undefined }

export class CheckoutLog {
  private readonly attempts: Collection<KeyAttemptDocument>
  private readonly open: Collection<OpenCheckoutDocument>

  constructor(db: Db) {
    this.attempts = db.collection<KeyAttemptDocument>('idempotency_keys')
    this.open = db.collection<OpenCheckoutDocument>('open_checkouts')
  }

  setUp(): Promise<void> {
    return ensureIndexes(this.open, [{ key: { leaseUntil: 1 } }])
  }

  /** Written before the checkout's first step, deleted once its order is placed or aborted and undone. */
  async markOpen(checkout: OpenCheckout): Promise<void> {
    const { orderId, ...fields } = checkout
    await this.open.insertOne({ _id: orderId, ...fields })
  }

  async markSettled(orderId: string): Promise<void> {
    await this.open.deleteOne({ _id: orderId })
  }

  /** Checkouts whose lease ended before `now`, oldest first. */
  async expired(now: Date, limit: number): Promise<OpenCheckout[]> {
    const documents = await this.open
      .find({ leaseUntil: { $lt: now } })
      .sort({ leaseUntil: 1 })
      .limit(limit)
      .toArray()
    return documents.map(({ _id, ...fields }) => ({ orderId: _id, ...fields }))
  }

  /**
   * Claims attempt number `number` of the key with a unique insert: exactly one of any number of
   * concurrent claims wins; the others answer the attempt that holds it.
   */
  async claim(key: string, number: number, attempt: Omit<KeyAttempt, 'id'>): Promise<AttemptClaim> {
    const id = attemptId(attempt.userId, key, number)
    try {
      await this.attempts.insertOne({ _id: id, ...attempt })
      return { claimed: true, attempt: { id, ...attempt } }
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error
    }
    const existing = await this.attempts.findOne({ _id: id })
    return { claimed: false, attempt: existing ? { ...existing, id: existing._id } : undefined }
  }
}

function attemptId(userId: string, key: string, number: number): string {
  return `${userId}:${key}:${number}`
}
