import { ensureIndexes, isDuplicateKeyError } from '@shop/service-kit'
import type { Collection, Db } from 'mongodb'
import type { StoredCartLine } from '../domain/cart.js'
import type { CartLines, OrderedLine } from '../domain/stores.js'

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
export class CartStore implements CartLines {
  private readonly lines_: Collection<CartLineDocument>

  constructor(db: Db) {
    this.lines_ = db.collection<CartLineDocument>('cart_lines')
  }

  setUp(): Promise<void> {
    return ensureIndexes(this.lines_, [{ key: { userId: 1, addedAt: 1 } }])
  }

  /** The user's lines in the order they were first added, each with when it last changed. */
  async lines(userId: string): Promise<(StoredCartLine & { updatedAt: Date })[]> {
    const documents = await this.lines_.find({ userId }).sort({ addedAt: 1, _id: 1 }).toArray()
    return documents.map(({ productId, quantity, updatedAt }) => ({ productId, quantity, updatedAt }))
  }

  async lineCount(userId: string): Promise<number> {
    return this.lines_.countDocuments({ userId })
  }

  /**
   * Sets a line's quantity (the last write wins, which is what "set the quantity to n" means). A
   * checkout may remove the line between FerretDB's read and write of this update, which then
   * changes nothing: the line is read back and written again if it vanished, so the change is never
   * lost (the checkout only removes a line still as it ordered it, so it ordered the old quantity).
   */
  async setQuantity(userId: string, productId: string, quantity: number): Promise<void> {
    const _id = `${userId}:${productId}`
    for (let write = 0; write < 3; write++) {
      const now = new Date()
      const update = { $set: { quantity, updatedAt: now }, $setOnInsert: { userId, productId, addedAt: now } }
      try {
        await this.lines_.updateOne({ _id }, update, { upsert: true })
      } catch (error) {
        // Two first adds of the same line raced and both tried to insert: the line exists now.
        if (!isDuplicateKeyError(error)) throw error
        await this.lines_.updateOne({ _id }, { $set: { quantity, updatedAt: now } })
      }
      if (await this.lines_.findOne({ _id }, { projection: { _id: 1 } })) return
    }
  }

  async removeLine(userId: string, productId: string): Promise<void> {
    await this.lines_.deleteOne({ _id: `${userId}:${productId}` })
  }

  /**
   * Removes the lines an order took, each only if it is still as the order priced it (same quantity,
   * not changed since): a line changed during the checkout stays in the cart.
   */
  async removeOrdered(userId: string, lines: readonly OrderedLine[]): Promise<void> {
    await Promise.all(
      lines.map(({ productId, quantity, updatedAt }) =>
        this.lines_.deleteOne({ _id: `${userId}:${productId}`, quantity, updatedAt }),
      ),
    )
  }
}
