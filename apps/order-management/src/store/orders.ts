import type { Order } from '@shop/contracts'
import { ensureIndexes, isDuplicateKeyError } from '@shop/service-kit'
import type { Collection, Db } from 'mongodb'

interface OrderDocument extends Omit<Order, 'id'> {
  _id: string
  userId: string
}

interface IdempotencyKeyDocument {
  /** `<userId>:<Idempotency-Key>`: keys belong to one user, so users cannot collide or probe each other. */
  _id: string
  requestHash: string
  orderId: string
  state: 'in-progress' | 'completed'
  createdAt: Date
}

export type KeyClaim =
  | { claimed: true; keyId: string; orderId: string }
  | { claimed: false; keyId: string; orderId: string; requestHash: string }

/** Orders, and the Idempotency-Keys that make placing one happen once. */
export class OrderStore {
  private readonly orders: Collection<OrderDocument>
  private readonly keys: Collection<IdempotencyKeyDocument>

  constructor(db: Db) {
    this.orders = db.collection<OrderDocument>('orders')
    this.keys = db.collection<IdempotencyKeyDocument>('idempotency_keys')
  }

  setUp(): Promise<void> {
    return ensureIndexes(this.orders, [{ key: { userId: 1, createdAt: -1 } }])
  }

  /** Claims a key with a unique insert: exactly one of any number of concurrent claims wins. */
  async claimKey(userId: string, key: string, requestHash: string, orderId: string): Promise<KeyClaim> {
    const keyId = `${userId}:${key}`
    try {
      await this.keys.insertOne({
        _id: keyId,
        requestHash,
        orderId,
        state: 'in-progress',
        createdAt: new Date(),
      })
      return { claimed: true, keyId, orderId }
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error
    }
    const existing = await this.keys.findOne({ _id: keyId })
    // Freed between our insert and this read: claim again.
    if (!existing) return this.claimKey(userId, key, requestHash, orderId)
    return { claimed: false, keyId, orderId: existing.orderId, requestHash: existing.requestHash }
  }

  async keyState(keyId: string): Promise<'in-progress' | 'completed' | 'freed'> {
    const record = await this.keys.findOne({ _id: keyId }, { projection: { state: 1 } })
    return record?.state ?? 'freed'
  }

  async completeKey(keyId: string): Promise<void> {
    await this.keys.updateOne({ _id: keyId }, { $set: { state: 'completed' } })
  }

  /** Forgets a key whose attempt failed, so the same key can be used again for a new attempt. */
  async freeKey(keyId: string): Promise<void> {
    await this.keys.deleteOne({ _id: keyId, state: 'in-progress' })
  }

  async insert(userId: string, { id, ...order }: Order): Promise<void> {
    await this.orders.insertOne({ _id: id, userId, ...order })
  }

  /** The order if it is this user's; another user's order id finds nothing, exactly like a wrong id. */
  async findOwn(userId: string, orderId: string): Promise<Order | undefined> {
    const document = await this.orders.findOne({ _id: orderId, userId })
    return document ? toOrder(document) : undefined
  }

  async listOwn(userId: string, page: number, pageSize: number): Promise<{ items: Order[]; total: number }> {
    const [documents, total] = await Promise.all([
      this.orders
        .find({ userId })
        .sort({ createdAt: -1, _id: 1 })
        .skip((page - 1) * pageSize)
        .limit(pageSize)
        .toArray(),
      this.orders.countDocuments({ userId }),
    ])
    return { items: documents.map(toOrder), total }
  }
}

function toOrder({ _id, userId: _userId, ...order }: OrderDocument): Order {
  return { id: _id, ...order }
}
