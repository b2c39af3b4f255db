import { setTimeout as sleep } from 'node:timers/promises'
import type { Reservation, ReservationLine, Shortage } from '@shop/contracts'
import type { Movement, StockLedger } from './stock-ledger.js'

/*
 * Reservations: all the lines of an order or none, decided once per order id, on a database without
 * transactions and without atomic read-modify-write (FerretDB 1.x,
 * docs/architecture.md#8-test-infrastructure). Only unique inserts are atomic, so every fact is a
 * document inserted under a unique key, never changed:
 *
 *   claim     C(o)    the order's lines; its writer is the order's only taker   reservations           _id o
 *   take      T(o,p)  ledger entry taking line p's units                        stock_movements  key reserve:o:p
 *   give-back G(o,p)  ledger entry returning T(o,p)'s units                     stock_movements  key release:o:p
 *   decision  D(o)    reserved, or refused (short, released, abandoned)         reservation_decisions  _id o
 *   release   R(o)    the order asked for its stock back                        reservation_releases   _id o
 *   work      W       "this request may leave takes to give back"               reservation_work       _id random
 *
 * Invariants (test/reservations.test.ts, concurrency.test.ts and crash-recovery.test.ts check them):
 *
 *  I1 Stock never goes negative and every change is accounted for: see stock-ledger.ts.
 *  I2 Only the request that wrote C(o) takes stock for o, so two requests for the same order can never
 *     both take; the others wait for D(o) and answer it. A line is taken at most once and given back at
 *     most once (T and G have deterministic keys under a unique index), and G(o,p) is only written for
 *     an existing T(o,p), with the opposite change.
 *  I3 D(o) is written once: the first writer wins and every request for o answers what it says. Only
 *     the taker proposes "reserved", and only after T exists for every line: a reserved order holds
 *     exactly its lines, all of them.
 *  I4 An order that is refused or released ends up holding nothing. The taker reads D(o) after its
 *     last take and, unless it says reserved, gives back what it took. A release or the sweeper writes
 *     D(o) (or finds it) first, then gives back every take of o it finds in the ledger. Both sides
 *     write before they read, so at least one of them sees the other: no take slips past both.
 *  I5 A release decides: it writes R(o), then D(o)=refused unless D(o) already says reserved. So a
 *     reservation arriving after its release (a timed-out call that still landed) cannot be reserved,
 *     and releasing an order id that holds nothing still blocks it.
 *  I6 A crash leaves nothing held for long. The taker writes W before its first take, a release before
 *     its first write, and each deletes it once the order is settled; the taker stops taking after
 *     RESERVATION_TIMEOUT_MS. The sweeper settles every W older than twice that: it writes
 *     D(o)=refused (abandoned) if o is undecided, gives back the takes of a refused or released order,
 *     then deletes W. A claim whose taker died before taking anything holds nothing; the next request
 *     for it decides it abandoned once it is that old.
 *     (Assumed: no request stalls longer than the timeout between its deadline check and its take
 *     reaching the database, and instance clocks agree to well within the timeout.)
 *
 * What callers see: an order id is decided once, so after a refusal or a release a new attempt needs a
 * new order id. While a refused order gives back the lines it took before the short one, a concurrent
 * reservation may find those lines short; the stock is back as soon as the refusal is answered.
 */

export interface Claim {
  orderId: string
  items: ReservationLine[]
  createdAt: Date
}

export type RefusalReason = 'insufficient-stock' | 'released' | 'abandoned'

export type Decision =
  | { orderId: string; outcome: 'reserved'; at: Date }
  | { orderId: string; outcome: 'refused'; reason: RefusalReason; shortages?: Shortage[]; at: Date }

export interface Release {
  orderId: string
  releasedAt: Date
}

export interface WorkMarker {
  id: string
  orderId: string
  openedAt: Date
}

/** Where claims, decisions, releases and work markers are kept: all write-once, by unique insert. */
export interface ReservationRecords {
  /** Inserts the claim unless the order has one; answers the order's claim and whether it is this one. */
  claim(claim: Claim): Promise<{ claim: Claim; first: boolean }>
  findClaim(orderId: string): Promise<Claim | undefined>
  /** Inserts the decision unless the order has one; answers the order's decision and whether it is this one. */
  decide(decision: Decision): Promise<{ decision: Decision; first: boolean }>
  findDecision(orderId: string): Promise<Decision | undefined>
  /** Inserts the release unless the order has one; answers the order's release. */
  recordRelease(release: Release): Promise<Release>
  findRelease(orderId: string): Promise<Release | undefined>
  openWork(orderId: string, openedAt: Date): Promise<string>
  closeWork(id: string): Promise<void>
  staleWork(openedBefore: Date, limit: number): Promise<WorkMarker[]>
}

export type ReserveOutcome =
  | { kind: 'reserved'; reservation: Reservation; created: boolean }
  | { kind: 'insufficient-stock'; shortages: Shortage[] }
  | { kind: 'conflict' }
  | { kind: 'released' }
  | { kind: 'abandoned' }
  | { kind: 'in-progress' }

export interface ReservationOptions {
  /** How long the taker may go on taking stock (RESERVATION_TIMEOUT_MS). */
  timeoutMs: number
  now?: () => Date
}

const SWEEP_BATCH = 100
const POLL_MS = { first: 10, max: 200 }

export const takeKey = (orderId: string, productId: string) => `reserve:${orderId}:${productId}`
export const giveBackKey = (orderId: string, productId: string) => `release:${orderId}:${productId}`

export class Reservations {
  private readonly timeoutMs: number
  private readonly now: () => Date

  constructor(
    private readonly ledger: StockLedger,
    private readonly records: ReservationRecords,
    options: ReservationOptions,
  ) {
    this.timeoutMs = options.timeoutMs
    this.now = options.now ?? (() => new Date())
  }

  /** Takes every line of the order or none (I3, I4), once per order id (I2). */
  async reserve(orderId: string, items: ReservationLine[]): Promise<ReserveOutcome> {
    const { claim, first } = await this.records.claim({ orderId, items, createdAt: this.now() })
    if (!sameLines(claim.items, items)) return { kind: 'conflict' }
    if (first) return this.take(claim)
    const decision = await this.awaitDecision(claim)
    return decision ? this.answer(claim, decision) : { kind: 'in-progress' }
  }

  /** Gives the order's stock back, once, and blocks any later reservation for it (I5). */
  async release(orderId: string): Promise<Reservation> {
    const at = this.now()
    const work = await this.records.openWork(orderId, at)
    const release = await this.records.recordRelease({ orderId, releasedAt: at })
    const { decision } = await this.records.decide({ orderId, outcome: 'refused', reason: 'released', at })
    await this.giveBackAll(orderId)
    await this.records.closeWork(work)
    const claim = decision.outcome === 'reserved' ? await this.records.findClaim(orderId) : undefined
    return released(orderId, release, claim, decision)
  }

  /** The order's reservation: reserved, released, or undefined when it holds nothing and never released. */
  async find(orderId: string): Promise<Reservation | undefined> {
    const [claim, decision, release] = await Promise.all([
      this.records.findClaim(orderId),
      this.records.findDecision(orderId),
      this.records.findRelease(orderId),
    ])
    const reserved = decision?.outcome === 'reserved' ? claim : undefined
    if (release) return released(orderId, release, reserved, decision)
    return reserved && decision ? reservation(reserved, decision) : undefined
  }

  /**
   * Settles what requests that died left behind (I6): the orders of work markers older than twice the
   * timeout. Safe on every instance at once, as every step is idempotent. Answers how many it settled.
   */
  async sweep(): Promise<number> {
    const at = this.now()
    const stale = await this.records.staleWork(new Date(at.getTime() - 2 * this.timeoutMs), SWEEP_BATCH)
    for (const work of stale) {
      const { orderId } = work
      const { decision } = await this.records.decide({ orderId, outcome: 'refused', reason: 'abandoned', at })
      if (decision.outcome === 'refused' || (await this.records.findRelease(orderId)))
        await this.giveBackAll(orderId)
      await this.records.closeWork(work.id)
    }
    return stale.length
  }

  /** The claim's writer takes the lines (I2), then learns the decision (I3, I4). */
  private async take(claim: Claim): Promise<ReserveOutcome> {
    const { orderId } = claim
    // Released (or abandoned) before this request arrived: nothing to take.
    const earlier = await this.records.findDecision(orderId)
    if (earlier) return this.answer(claim, earlier)

    let work: string | undefined
    const taken: Movement[] = []
    const proposal = await this.takeLines(claim, taken, async () => {
      work ??= await this.records.openWork(orderId, this.now())
    })
    const { decision } = await this.records.decide(proposal)
    if (decision.outcome !== 'reserved') await this.giveBack(taken)
    // Not reached when something failed half-way: the marker stays for the sweeper (I6).
    if (work) await this.records.closeWork(work)
    if (decision.outcome === 'reserved')
      return { kind: 'reserved', reservation: reservation(claim, decision), created: true }
    return this.answer(claim, decision)
  }

  /**
   * Takes the lines in product id order until one is short, then only looks at the rest, so that the
   * refusal names every short product. Answers the decision to propose.
   */
  private async takeLines(
    claim: Claim,
    taken: Movement[],
    beforeWrite: () => Promise<void>,
  ): Promise<Decision> {
    const { orderId } = claim
    const deadline = claim.createdAt.getTime() + this.timeoutMs
    const shortages: Shortage[] = []
    for (const { productId, quantity } of inProductOrder(claim.items)) {
      if (shortages.length > 0) {
        const available = (await this.ledger.latest(productId))?.availableAfter ?? 0
        if (available < quantity) shortages.push({ productId, requested: quantity, available })
        continue
      }
      const result = await this.ledger.take(takeKey(orderId, productId), productId, quantity, orderId, {
        deadline,
        beforeWrite,
      })
      if (result.outcome === 'expired')
        return { orderId, outcome: 'refused', reason: 'abandoned', at: this.now() }
      if (result.outcome === 'short')
        shortages.push({ productId, requested: quantity, available: result.available })
      else taken.push(result.movement)
    }
    return shortages.length > 0
      ? { orderId, outcome: 'refused', reason: 'insufficient-stock', shortages, at: this.now() }
      : { orderId, outcome: 'reserved', at: this.now() }
  }

  /**
   * A request for an order someone else is taking for waits for the decision, up to the timeout. A
   * claim twice as old as the timeout has a taker that gave up or died: it is decided abandoned (I6).
   */
  private async awaitDecision(claim: Claim): Promise<Decision | undefined> {
    const { orderId } = claim
    const waitUntil = this.now().getTime() + this.timeoutMs
    for (let pause = POLL_MS.first; ; pause = Math.min(pause * 2, POLL_MS.max)) {
      const decision = await this.records.findDecision(orderId)
      if (decision) return decision
      const now = this.now()
      if (now.getTime() > claim.createdAt.getTime() + 2 * this.timeoutMs) {
        const { decision: settled } = await this.records.decide({
          orderId,
          outcome: 'refused',
          reason: 'abandoned',
          at: now,
        })
        if (settled.outcome === 'refused') await this.giveBackAll(orderId)
        return settled
      }
      if (now.getTime() > waitUntil) return undefined
      await sleep(pause)
    }
  }

  private async answer(claim: Claim, decision: Decision): Promise<ReserveOutcome> {
    if (decision.outcome === 'refused')
      return decision.reason === 'insufficient-stock'
        ? { kind: 'insufficient-stock', shortages: decision.shortages ?? [] }
        : { kind: decision.reason }
    // Reserved, but released since: the release gives the stock back (I5).
    if (await this.records.findRelease(claim.orderId)) return { kind: 'released' }
    return { kind: 'reserved', reservation: reservation(claim, decision), created: false }
  }

  /** Gives back takes this request made (I2, I4). */
  private async giveBack(taken: readonly Movement[]): Promise<void> {
    await Promise.all(
      taken.map((take) =>
        this.ledger.give(
          giveBackKey(take.orderId!, take.productId),
          take.productId,
          -take.change,
          'release',
          take.orderId,
        ),
      ),
    )
  }

  /** Gives back every take of the order that the ledger holds and that was not given back yet (I4). */
  private async giveBackAll(orderId: string): Promise<void> {
    const movements = await this.ledger.byOrder(orderId)
    const givenBack = new Set(
      movements.filter((entry) => entry.reason === 'release').map((entry) => entry.productId),
    )
    await this.giveBack(
      movements.filter((entry) => entry.reason === 'reservation' && !givenBack.has(entry.productId)),
    )
  }
}

/** The first product id named twice in the lines, if any. */
export function repeatedProduct(items: readonly ReservationLine[]): string | undefined {
  const seen = new Set<string>()
  for (const { productId } of items) {
    if (seen.has(productId)) return productId
    seen.add(productId)
  }
  return undefined
}

function inProductOrder(items: readonly ReservationLine[]): ReservationLine[] {
  return [...items].sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0))
}

/** The same lines, in any order. */
function sameLines(a: readonly ReservationLine[], b: readonly ReservationLine[]): boolean {
  const left = inProductOrder(a)
  const right = inProductOrder(b)
  return (
    left.length === right.length &&
    left.every((line, i) => line.productId === right[i]!.productId && line.quantity === right[i]!.quantity)
  )
}

function reservation(claim: Claim, decision: Decision): Reservation {
  return {
    orderId: claim.orderId,
    status: 'reserved',
    items: claim.items.map(({ productId, quantity }) => ({ productId, quantity })),
    createdAt: decision.at.toISOString(),
  }
}

/**
 * A released reservation: its lines when the order had reserved them, none when the release came
 * first or the order was refused (then nothing was held and the record only blocks the order id).
 */
function released(
  orderId: string,
  release: Release,
  reservedClaim: Claim | undefined,
  decision: Decision | undefined,
): Reservation {
  if (reservedClaim && decision?.outcome === 'reserved')
    return {
      ...reservation(reservedClaim, decision),
      status: 'released',
      releasedAt: release.releasedAt.toISOString(),
    }
  const at = release.releasedAt.toISOString()
  return { orderId, status: 'released', items: [], createdAt: at, releasedAt: at }
}
