import { randomUUID } from 'node:crypto'
import type { MOVEMENT_REASONS } from '@shop/contracts'
import { OneAtATime } from '@shop/service-kit'

/**
 * Stock as an append-only ledger per product. FerretDB 1.x runs `update` and `findAndModify` as a
 * query followed by a write, so a conditional decrement can oversell there; an insert against a
 * unique index is atomic on FerretDB and MongoDB alike, so the ledger rests on two of them:
 *
 * - `(productId, seq)`: entry n+1 is computed from entry n (`availableAfter = n.availableAfter +
 *   change`) and only lands if nobody appended n+1 first. Whoever loses re-reads and tries again.
 *   So seqs are contiguous from 0, every entry follows from the one before it, and a take that would
 *   make `availableAfter` negative is never written: stock never goes negative, whatever the concurrency.
 * - `key`: a movement that must happen at most once (an order's take of a line, its give-back, a
 *   product's initial stock) has a deterministic key, so repeating it cannot move stock twice.
 *
 * The stock of a product is its latest entry's `availableAfter`; a product without a ledger has none.
 * Entries are never changed or removed.
 */

export type MovementReason = (typeof MOVEMENT_REASONS)[number]

export interface Movement {
  /** Unique in the whole ledger; deterministic for movements that must happen at most once. */
  key: string
  productId: string
  /** Position in the product's ledger, contiguous from 0. */
  seq: number
  /** Units added (positive) or taken (negative). */
  change: number
  availableAfter: number
  reason: MovementReason
  orderId?: string | undefined
  at: Date
}

export interface MovementPage {
  items: Movement[]
  total: number
}

export type AppendResult =
  | { outcome: 'appended'; movement: Movement }
  /** Another entry holds this (productId, seq): the ledger moved on, read it again. */
  | { outcome: 'position-taken' }
  /** An entry with this key exists already. */
  | { outcome: 'key-taken' }

/** Where the ledger is kept. */
export interface LedgerStore {
  latest(productId: string): Promise<Movement | undefined>
  byKey(key: string): Promise<Movement | undefined>
  append(movement: Movement): Promise<AppendResult>
  /** Writes first entries (seq 0); those whose key or product ledger exists already are skipped. */
  start(movements: Movement[]): Promise<void>
  /** The latest entry of every product with a ledger (or of these products), by product id. */
  latestOfEach(productIds?: string[]): Promise<Movement[]>
  /** A product's entries, newest first. */
  history(productId: string, page: { page: number; pageSize: number }): Promise<MovementPage>
  /** Every entry an order caused, in any product. */
  ofOrder(orderId: string): Promise<Movement[]>
}

export type TakeResult =
  { outcome: 'taken'; movement: Movement } | { outcome: 'short'; available: number } | { outcome: 'expired' }

export interface TakeOptions {
  /** Epoch ms after which the take gives up instead of writing. */
  deadline?: number
  /** Runs before the first write: the caller's chance to record that it may leave a take behind. */
  beforeWrite?: () => Promise<void>
}

/**
 * Lost races in a row before an append gives up. Each loss means another writer appended to the same
 * product, so progress is guaranteed; the bound only turns a broken database into an error.
 */
const MAX_ATTEMPTS = 1_000

export class StockLedger {
  /**
   * Appends to one product from this instance go one at a time, so they do not lose races to each
   * other (each lost race costs database round trips). Other instances still race; the unique
   * (productId, seq) index settles those, as it would settle these.
   */
  private readonly appends = new OneAtATime()

  constructor(
    private readonly store: LedgerStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Starts the ledger of every product that has none yet: safe to run on each start, by each instance. */
  async seed(products: readonly { id: string; initialStock: number }[]): Promise<void> {
    const at = this.now()
    await this.store.start(
      products.map((product) => ({
        key: `initial:${product.id}`,
        productId: product.id,
        seq: 0,
        change: product.initialStock,
        availableAfter: product.initialStock,
        reason: 'initial',
        at,
      })),
    )
  }

  latest(productId: string): Promise<Movement | undefined> {
    return this.store.latest(productId)
  }

  list(productIds?: string[]): Promise<Movement[]> {
    return this.store.latestOfEach(productIds)
  }

  history(productId: string, page: { page: number; pageSize: number }): Promise<MovementPage> {
    return this.store.history(productId, page)
  }

  byOrder(orderId: string): Promise<Movement[]> {
    return this.store.ofOrder(orderId)
  }

  /**
   * Takes `quantity` units under `key` unless fewer are available. The key makes a repeated take
   * (a driver retrying a write that had landed) answer the first one instead of taking again.
   */
  async take(
    key: string,
    productId: string,
    quantity: number,
    orderId: string,
    { deadline = Infinity, beforeWrite }: TakeOptions = {},
  ): Promise<TakeResult> {
    // Short now is a valid answer without waiting for the appends queued before this one.
    const available = (await this.store.latest(productId))?.availableAfter ?? 0
    if (available < quantity) return { outcome: 'short', available }
    return this.appends.run(productId, async () => {
      for (let attempt = 1; ; attempt++) {
        const latest = await this.store.latest(productId)
        const available = latest?.availableAfter ?? 0
        if (available < quantity) return { outcome: 'short', available }
        if (this.now().getTime() > deadline) return { outcome: 'expired' }
        await beforeWrite?.()
        const movement = this.next(latest, {
          key,
          productId,
          change: -quantity,
          reason: 'reservation',
          orderId,
        })
        const result = await this.store.append(movement)
        if (result.outcome === 'appended') return { outcome: 'taken', movement: result.movement }
        if (result.outcome === 'key-taken') return { outcome: 'taken', movement: await this.existing(key) }
        this.checkAttempts(attempt, key)
      }
    })
  }

  /** Adds `quantity` units under `key`, once: giving under a key that was used answers that entry. */
  async give(
    key: string,
    productId: string,
    quantity: number,
    reason: 'release' | 'restock',
    orderId?: string,
  ): Promise<Movement> {
    return this.appends.run(productId, async () => {
      for (let attempt = 1; ; attempt++) {
        const latest = await this.store.latest(productId)
        const result = await this.store.append(
          this.next(latest, { key, productId, change: quantity, reason, orderId }),
        )
        if (result.outcome === 'appended') return result.movement
        if (result.outcome === 'key-taken') return this.existing(key)
        this.checkAttempts(attempt, key)
      }
    })
  }

  /** New units arrived (an operator's or a test's action: no public route offers it). */
  restock(productId: string, quantity: number): Promise<Movement> {
    if (!Number.isInteger(quantity) || quantity < 1)
      throw new RangeError('restock a positive whole number of units')
    return this.give(`restock:${randomUUID()}`, productId, quantity, 'restock')
  }

  private next(
    latest: Movement | undefined,
    movement: Pick<Movement, 'key' | 'productId' | 'change' | 'reason' | 'orderId'>,
  ): Movement {
    return {
      ...movement,
      seq: latest ? latest.seq + 1 : 0,
      availableAfter: (latest?.availableAfter ?? 0) + movement.change,
      at: this.now(),
    }
  }

  private async existing(key: string): Promise<Movement> {
    const movement = await this.store.byKey(key)
    if (!movement) throw new Error(`stock movement ${key} exists and cannot be read`)
    return movement
  }

  private checkAttempts(attempt: number, key: string): void {
    if (attempt >= MAX_ATTEMPTS)
      throw new Error(`stock movement ${key} lost ${attempt} races in a row; giving up`)
  }
}
