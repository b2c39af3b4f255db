import { ensureIndexes, isDuplicateKeyError } from '@shop/service-kit'
import type { Collection, Db } from 'mongodb'
import type { StoredCartLine } from '../domain/cart.js'

interface CartLineDocument {
  _id: string
  userId: string
  productId: string
  quantity: number
  addedAt: Date
  updatedAt: Date
}

/**
 * One document per (user, product) line, keyed `<userId>:<productId>`, so changing one line never
 * rewrites another: FerretDB's updates are read-modify-write, and two concurrent edits of one cart
 * document could lose a line.
 */
export class CartStore {
  private readonly lines_: Collection<CartLineDocument>

  constructor(db: Db) {
    this.lines_ = db.collection<CartLineDocument>('cart_lines')
  }

  setUp(): Promise<void> {
    return ensureIndexes(this.lines_, [{ key: { userId: 1, addedAt: 1 } }])
  }

  /** The user's lines in the order they were first added. */
  async lines(userId: string): Promise<StoredCartLine[]> {
    const documents = await this.lines_.find({ userId }).sort({ addedAt: 1, _id: 1 }).toArray()
    return documents.map(({ productId, quantity }) => ({ productId, quantity }))
  }

  async lineCount(userId: string): Promise<number> {
    return this.lines_.countDocuments({ userId })
  }

  /** Sets a line's quantity (the last write wins, which is what "set the quantity to n" means). */
  async setQuantity(userId: string, productId: string, quantity: number): Promise<void> {
    const _id = `${userId}:${productId}`
    const now = new Date()
    const update = { $set: { quantity, updatedAt: now }, $setOnInsert: { userId, productId, addedAt: now } }
    try {
      await this.lines_.updateOne({ _id }, update, { upsert: true })
    } catch (error) {
      // Two first adds of the same line raced and both tried to insert: the line exists now.
      if (!isDuplicateKeyError(error)) throw error
      await this.lines_.updateOne({ _id }, { $set: { quantity, updatedAt: now } })
    }
  }

  async removeLine(userId: string, productId: string): Promise<void> {
    await this.lines_.deleteOne({ _id: `${userId}:${productId}` })
  }

  async removeLines(userId: string, productIds: string[]): Promise<void> {
    await this.lines_.deleteMany({ _id: { $in: productIds.map((productId) => `${userId}:${productId}`) } })
  }
}
