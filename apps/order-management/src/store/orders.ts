import type { Order } from '@shop/contracts'
import { isDuplicateKeyError } from '@shop/service-kit'
import type { Collection, Db } from 'mongodb'
import type { Decision, OrderedLine, OrderRecords, PlacedOrderRecord } from '../domain/stores.js'

/**
 * One document per order id, written once (docs/checkout.md): either the placed order (the saga's
 * commit point) or the mark that its checkout was aborted. Whoever inserts first decides.
 */
type DecisionDocument =
  | (Omit<Order, 'id'> & {
      _id: string
      userId: string
      outcome: 'placed'
      /** Its entry in the user's history (order_history). */
      historySlot: number
      orderedLines: OrderedLine[]
    })
  | { _id: string; userId: string; outcome: 'aborted'; abortedAt: Date }

/** `<userId>:<slot, zero-padded>` -> order id: one user's orders, found by exact ids only. */
interface HistoryDocument {
  _id: string
  orderId: string
}

/** A history slot as its head lists it: its order, or null when it lists nothing (aborted). */
interface HeadEntry {
  slot: number
  order: Order | null
}

/**
 * Per user (`_id` is the user id), the newest HEAD_SIZE slots with their orders, newest first: a
 * first page in one read. A cache of the slots, never the truth: a slot it lacks is read by its ids.
 */
interface HeadDocument {
  _id: string
  /** The highest slot the writer knew taken. */
  slot: number
  entries: HeadEntry[]
}

/**
 * Orders and each user's order history. Every read is by exact `_id`: the only filter FerretDB 1.24's
 * SQLite backend pushes down to SQLite (any other filter reads and decodes the whole collection), and
 * a primary-key lookup on MongoDB. The history is a per-user numbered list of slots, 1, 2, 3...,
 * found by probing ids; a slot is taken with a unique insert before the order is stored.
 */
export class OrderStore implements OrderRecords {
  private readonly decisions: Collection<DecisionDocument>
  private readonly history: Collection<HistoryDocument>
  private readonly heads: Collection<HeadDocument>
  /** Per user, a history slot known to be taken: where the search for the newest one starts. */
  private readonly knownSlots = new Map<string, number>()

  constructor(db: Db) {
    this.decisions = db.collection<DecisionDocument>('orders')
    this.history = db.collection<HistoryDocument>('order_history')
    this.heads = db.collection<HeadDocument>('order_history_heads')
  }

  async setUp(): Promise<void> {}

  /** Takes the next free history slot of the user for the order id (unique insert, retried on a race). */
  async allocateSlot(userId: string, orderId: string): Promise<number> {
    for (let slot = (await this.lastSlot(userId, 0)) + 1; ; slot++) {
      try {
        await this.history.insertOne({ _id: slotId(userId, slot), orderId })
        this.remember(userId, slot)
        return slot
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error
      }
    }
  }

  /** The commit point: stores the order unless its id is decided already; answers the decision. */
  async commit({ userId, order, historySlot, orderedLines }: PlacedOrderRecord): Promise<Decision> {
    const { id, ...fields } = order
    return this.decideOnce({ _id: id, userId, outcome: 'placed', historySlot, orderedLines, ...fields })
  }

  /** Marks the order id aborted unless it is decided already (it may have been placed): answers the decision. */
  abort(userId: string, orderId: string): Promise<Decision> {
    return this.decideOnce({ _id: orderId, userId, outcome: 'aborted', abortedAt: new Date() })
  }

  async decision(orderId: string): Promise<Decision | undefined> {
    const document = await this.decisions.findOne({ _id: orderId })
    return document ? toDecision(document) : undefined
  }

  /** The order if it is this user's; another user's order id finds nothing, exactly like a wrong id. */
  async findOwn(userId: string, orderId: string): Promise<Order | undefined> {
    const decision = await this.decision(orderId)
    return decision?.outcome === 'placed' && decision.userId === userId ? decision.order : undefined
  }

  /**
   * A page of the user's orders, newest first. `total` counts history slots: a slot whose checkout
   * was aborted after taking it (rare: see docs/checkout.md) is counted there but not listed.
   * The newest slots come from the user's head document; a slot it lacks (an append whose head write
   * failed or lost a race, orders stored before heads) is read by its ids, and page 1 writes the head
   * it read, so the next read finds it whole.
   */
  async listOwn(userId: string, page: number, pageSize: number): Promise<{ items: Order[]; total: number }> {
    const head = await this.heads.findOne({ _id: userId })
    const total = await this.lastSlot(userId, head?.slot ?? 0)
    const newest = total - (page - 1) * pageSize
    const slots = Array.from({ length: Math.max(0, Math.min(pageSize, newest)) }, (_, i) => newest - i)
    const inHead = new Map(head?.entries.map((entry) => [entry.slot, entry]))
    const entries = await Promise.all(slots.map((slot) => inHead.get(slot) ?? this.readSlot(userId, slot)))
    const missing = slots.some((slot) => !inHead.has(slot))
    if (page === 1 && missing) await this.writeHeadQuietly(userId, head, entries)
    return {
      items: entries.flatMap((entry) => (entry?.order ? [entry.order] : [])),
      total,
    }
  }

  /**
   * Puts a placed order in its user's head document, after the commit point. Not atomic on FerretDB
   * (a read, then a write): two appends of one user at once may leave one of them out of the head,
   * which only makes readers read that slot by its ids until a later write of the head fills it in.
   */
  async addToHead(userId: string, historySlot: number, order: Order): Promise<void> {
    const head = await this.heads.findOne({ _id: userId })
    await this.writeHead(userId, head, [{ slot: historySlot, order }])
  }

  private async writeHeadQuietly(
    userId: string,
    head: HeadDocument | null,
    entries: (HeadEntry | undefined)[],
  ): Promise<void> {
    // A cache of what the slots say: when it cannot be written, the next page 1 reads the slots again.
    await this.writeHead(userId, head, entries).catch(() => undefined)
  }

  /** Writes the head: its newest HEAD_SIZE slots, from `fresh`, the stored head, and exact reads of the gaps. */
  private async writeHead(
    userId: string,
    head: HeadDocument | null,
    fresh: (HeadEntry | undefined)[],
  ): Promise<void> {
    const known = new Map(head?.entries.map((entry) => [entry.slot, entry]))
    for (const entry of fresh) if (entry) known.set(entry.slot, entry)
    const top = Math.max(head?.slot ?? 0, ...known.keys())
    const window = Array.from({ length: Math.min(HEAD_SIZE, top) }, (_, i) => top - i)
    const entries = await Promise.all(window.map((slot) => known.get(slot) ?? this.readSlot(userId, slot)))
    const document: HeadDocument = {
      _id: userId,
      slot: top,
      entries: entries.filter((entry) => entry !== undefined),
    }
    try {
      await this.heads.replaceOne({ _id: userId }, document, { upsert: true })
    } catch (error) {
      // Another writer's upsert inserted the head first (FerretDB's upserts are not atomic).
      if (!isDuplicateKeyError(error)) throw error
      await this.heads.replaceOne({ _id: userId }, document)
    }
  }

  /** A slot read by its ids: its order, null when the slot lists nothing, undefined while undecided. */
  private async readSlot(userId: string, slot: number): Promise<HeadEntry | undefined> {
    const entry = await this.history.findOne({ _id: slotId(userId, slot) })
    if (!entry) return undefined
    const document = await this.decisions.findOne({ _id: entry.orderId })
    if (!document) return undefined
    const listed =
      document.outcome === 'placed' && document.userId === userId && document.historySlot === slot
    return { slot, order: listed ? toOrder(document) : null }
  }

  /**
   * The user's highest history slot (0 for none): doubling from the highest slot known taken (by this
   * instance, or `takenSlot`; slots are never given back, so it is a safe start), then bisecting, over
   * exact-id lookups. Usually one lookup; about 2 log2 n on an instance that has not seen the user yet.
   */
  private async lastSlot(userId: string, takenSlot: number): Promise<number> {
    const taken = async (slot: number) =>
      (await this.history.findOne({ _id: slotId(userId, slot) }, { projection: { _id: 1 } })) !== null
    let low = Math.max(takenSlot, this.knownSlots.get(userId) ?? 0)
    let step = 1
    while (await taken(low + step)) {
      low += step
      step *= 2
    }
    // Slot `low` is taken (or 0), slot `low + step` is free; slots are taken in order, without gaps.
    let high = low + step
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2)
      if (await taken(middle)) low = middle
      else high = middle
    }
    this.remember(userId, low)
    return low
  }

  private remember(userId: string, slot: number): void {
    if (this.knownSlots.size >= KNOWN_SLOTS_LIMIT) this.knownSlots.clear()
    this.knownSlots.set(userId, Math.max(slot, this.knownSlots.get(userId) ?? 0))
  }

  private async decideOnce(document: DecisionDocument): Promise<Decision> {
    try {
      await this.decisions.insertOne(document)
      return toDecision(document)
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error
    }
    const stored = await this.decisions.findOne({ _id: document._id })
    if (!stored) throw new Error(`order ${document._id} is decided and cannot be read`)
    return toDecision(stored)
  }
}

/** Orders a head document holds: the default page size (a larger or later page reads slots by ids). */
const HEAD_SIZE = 20

/** Users whose newest slot an instance remembers, at most (then it starts afresh). */
const KNOWN_SLOTS_LIMIT = 100_000

function slotId(userId: string, slot: number): string {
  return `${userId}:${String(slot).padStart(10, '0')}`
}

function toDecision(document: DecisionDocument): Decision {
  if (document.outcome === 'aborted') return { outcome: 'aborted', userId: document.userId }
  return {
    outcome: 'placed',
    userId: document.userId,
    orderedLines: document.orderedLines,
    order: toOrder(document),
  }
}

function toOrder(document: Extract<DecisionDocument, { outcome: 'placed' }>): Order {
  const {
    _id,
    userId: _user,
    outcome: _outcome,
    historySlot: _slot,
    orderedLines: _lines,
    ...order
  } = document
  return { id: _id, ...order }
}
