import type { FastifyBaseLogger } from 'fastify'
import type { Db } from 'mongodb'
import type { OrderStore } from './orders.js'

/** An order as the first version stored it: no `outcome`, no history slot. */
interface FirstVersionOrder {
  _id: string
  userId: string
  createdAt: string
  /** Set by this migration: the shape of the orders the saga stores. */
  outcome?: 'placed'
  historySlot?: number
  orderedLines?: []
}

/**
 * Lists in the history the orders of the first version (stored before checkouts were sagas), oldest
 * first per user: at start-up, before the instance is ready. Each gets a history slot, then is marked
 * placed in that slot. Two instances at once may give one order two slots: the order keeps the last
 * slot written and the other one lists nothing (a slot lists an order only when the order names it),
 * so the order is listed once. One read of `orders` per start-up, which is what FerretDB does for any
 * filter other than an exact `_id` anyway.
 */
export async function listFirstVersionOrders(
  db: Db,
  orders: OrderStore,
  log: FastifyBaseLogger,
): Promise<void> {
  const collection = db.collection<FirstVersionOrder>('orders')
  const unlisted = await collection.find({ outcome: { $exists: false } }).toArray()
  if (unlisted.length === 0) return
  unlisted.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a._id.localeCompare(b._id))
  for (const { _id, userId } of unlisted) {
    const historySlot = await orders.allocateSlot(userId, _id)
    await collection.updateOne(
      { _id, outcome: { $exists: false } },
      { $set: { outcome: 'placed', historySlot, orderedLines: [] } },
    )
  }
  log.info({ orders: unlisted.length }, 'listed the orders of the first version in the history')
}
