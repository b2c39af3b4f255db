import { ensureIndexes, isDuplicateKeyError } from '@shop/service-kit'
import type { Collection, Db } from 'mongodb'
import type { AttemptClaim, CheckoutRecords, KeyAttempt, OpenCheckout } from '../domain/stores.js'

type KeyAttemptDocument = Omit<KeyAttempt, 'id'> & { _id: string }
type OpenCheckoutDocument = Omit<OpenCheckout, 'orderId'> & { _id: string }

export class CheckoutLog implements CheckoutRecords {
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
