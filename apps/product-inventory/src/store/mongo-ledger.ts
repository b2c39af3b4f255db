import { ensureIndexes, isDuplicateKeyError } from '@shop/service-kit'
import type { Collection, Db } from 'mongodb'
import type { AppendResult, LedgerStore, Movement, MovementPage } from '../domain/stock-ledger.js'
import { onlyDuplicates } from './unique-insert.js'

type MovementDocument = Movement & { _id: string }

/**
 * The stock ledger in `stock_movements`, one document per movement, unique by (productId, seq) and
 * by key. The `_id` is the position, `<productId>:<seq>`, because FerretDB 1.x answers `_id`
 * lookups from its index while any other filter reads the whole collection: finding a product's
 * latest entry is then a lookup of the entry after the latest one seen, not a query.
 */
export class MongoLedger implements LedgerStore {
  private readonly movements: Collection<MovementDocument>
  /** The latest entry seen per product. Entries never change, so this is only ever behind. */
  private readonly heads = new Map<string, Movement>()

  constructor(db: Db) {
    this.movements = db.collection<MovementDocument>('stock_movements')
  }

  async setUp(): Promise<void> {
    await ensureIndexes(this.movements, [
      { key: { productId: 1, seq: 1 }, options: { unique: true } },
      { key: { key: 1 }, options: { unique: true } },
      { key: { orderId: 1 } },
    ])
  }

  async latest(productId: string): Promise<Movement | undefined> {
    let head = this.heads.get(productId) ?? (await this.firstLook(productId))
    if (!head) return undefined
    for (;;) {
      const next = await this.movements.findOne({ _id: positionOf(productId, head.seq + 1) })
      if (!next) break
      head = toMovement(next)
    }
    this.remember(head)
    return head
  }

  async byKey(key: string): Promise<Movement | undefined> {
    const document = await this.movements.findOne({ key })
    return document ? toMovement(document) : undefined
  }

  async append(movement: Movement): Promise<AppendResult> {
    try {
      await this.movements.insertOne(toDocument(movement))
      this.remember(movement)
      return { outcome: 'appended', movement }
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error
      // Which unique index refused it: the position's entry says (it is never removed).
      const there = await this.movements.findOne({ _id: positionOf(movement.productId, movement.seq) })
      if (!there) return { outcome: 'key-taken' }
      // Our own write, landed before a retry of it by the driver.
      if (there.key === movement.key) return { outcome: 'appended', movement: toMovement(there) }
      return { outcome: 'position-taken' }
    }
  }

  async start(movements: Movement[]): Promise<void> {
    try {
      await this.movements.insertMany(movements.map(toDocument), { ordered: false })
    } catch (error) {
      if (!onlyDuplicates(error)) throw error
    }
  }

  async latestOfEach(productIds?: string[]): Promise<Movement[]> {
    // Every ledger starts at seq 0, so those entries name the products.
    const firsts = await this.movements
      .find(productIds ? { seq: 0, productId: { $in: productIds } } : { seq: 0 }, {
        projection: { productId: 1 },
      })
      .sort({ productId: 1 })
      .toArray()
    const latest = await Promise.all(firsts.map((first) => this.latest(first.productId)))
    return latest.filter((movement) => movement !== undefined)
  }

  async history(
    productId: string,
    { page, pageSize }: { page: number; pageSize: number },
  ): Promise<MovementPage> {
    const [documents, total] = await Promise.all([
      this.movements
        .find({ productId })
        .sort({ seq: -1 })
        .skip((page - 1) * pageSize)
        .limit(pageSize)
        .toArray(),
      this.movements.countDocuments({ productId }),
    ])
    return { items: documents.map(toMovement), total }
  }

  async ofOrder(orderId: string): Promise<Movement[]> {
    return (await this.movements.find({ orderId }).toArray()).map(toMovement)
  }

  /** Where to start looking for a product's latest entry when this instance has not seen it yet. */
  private async firstLook(productId: string): Promise<Movement | undefined> {
    // Every ledger starts at seq 0: without it the product has no ledger, and no query is needed.
    if (!(await this.movements.findOne({ _id: positionOf(productId, 0) }))) return undefined
    const [latest] = await this.movements.find({ productId }).sort({ seq: -1 }).limit(1).toArray()
    return latest && toMovement(latest)
  }

  private remember(movement: Movement): void {
    const known = this.heads.get(movement.productId)
    if (!known || known.seq < movement.seq) this.heads.set(movement.productId, movement)
  }
}

function positionOf(productId: string, seq: number): string {
  return `${productId}:${seq}`
}

function toDocument({ orderId, ...movement }: Movement): MovementDocument {
  return {
    _id: positionOf(movement.productId, movement.seq),
    ...movement,
    ...(orderId === undefined ? {} : { orderId }),
  }
}

function toMovement({ _id: _, ...movement }: MovementDocument): Movement {
  return movement
}
