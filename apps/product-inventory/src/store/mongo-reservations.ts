import { randomUUID } from 'node:crypto'
import { ensureIndexes } from '@shop/service-kit'
import type { Collection, Db } from 'mongodb'
import type { Claim, Decision, Release, ReservationRecords, WorkMarker } from '../domain/reservations.js'
import { insertOrGet } from './unique-insert.js'

type ClaimDocument = Omit<Claim, 'orderId'> & { _id: string }
type DecisionDocument = DistributiveOmit<Decision, 'orderId'> & { _id: string }
type ReleaseDocument = Omit<Release, 'orderId'> & { _id: string }
type WorkDocument = Omit<WorkMarker, 'id'> & { _id: string }

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

/**
 * Claims, decisions and releases, each keyed by order id and written once; work markers, written when
 * a request starts and deleted when it has settled its order. Nothing here is ever updated in place.
 */
export class MongoReservationRecords implements ReservationRecords {
  private readonly claims: Collection<ClaimDocument>
  private readonly decisions: Collection<DecisionDocument>
  private readonly releases: Collection<ReleaseDocument>
  private readonly work: Collection<WorkDocument>

  constructor(db: Db) {
    this.claims = db.collection<ClaimDocument>('reservations')
    this.decisions = db.collection<DecisionDocument>('reservation_decisions')
    this.releases = db.collection<ReleaseDocument>('reservation_releases')
    this.work = db.collection<WorkDocument>('reservation_work')
  }

  async setUp(): Promise<void> {
    await ensureIndexes(this.work, [{ key: { openedAt: 1 } }])
  }

  async claim({ orderId, ...claim }: Claim): Promise<{ claim: Claim; first: boolean }> {
    const { document, inserted } = await insertOrGet(this.claims, { _id: orderId, ...claim })
    return { claim: toClaim(document), first: inserted }
  }

  async findClaim(orderId: string): Promise<Claim | undefined> {
    const document = await this.claims.findOne({ _id: orderId })
    return document ? toClaim(document) : undefined
  }

  async decide({ orderId, ...decision }: Decision): Promise<{ decision: Decision; first: boolean }> {
    const { document, inserted } = await insertOrGet(this.decisions, { _id: orderId, ...decision })
    return { decision: toDecision(document), first: inserted }
  }

  async findDecision(orderId: string): Promise<Decision | undefined> {
    const document = await this.decisions.findOne({ _id: orderId })
    return document ? toDecision(document) : undefined
  }

  async recordRelease({ orderId, ...release }: Release): Promise<Release> {
    const { document } = await insertOrGet(this.releases, { _id: orderId, ...release })
    return { orderId: document._id, releasedAt: document.releasedAt }
  }

  async findRelease(orderId: string): Promise<Release | undefined> {
    const document = await this.releases.findOne({ _id: orderId })
    return document ? { orderId: document._id, releasedAt: document.releasedAt } : undefined
  }

  async openWork(orderId: string, openedAt: Date): Promise<string> {
    const id = randomUUID()
    await this.work.insertOne({ _id: id, orderId, openedAt })
    return id
  }

  async closeWork(id: string): Promise<void> {
    await this.work.deleteOne({ _id: id })
  }

  async staleWork(openedBefore: Date, limit: number): Promise<WorkMarker[]> {
    const documents = await this.work
      .find({ openedAt: { $lt: openedBefore } })
      .sort({ openedAt: 1 })
      .limit(limit)
      .toArray()
    return documents.map(({ _id, ...work }) => ({ id: _id, ...work }))
  }
}

function toClaim({ _id, items, createdAt }: ClaimDocument): Claim {
  return { orderId: _id, items: items.map(({ productId, quantity }) => ({ productId, quantity })), createdAt }
}

function toDecision({ _id, ...decision }: DecisionDocument): Decision {
  return { orderId: _id, ...decision } as Decision
}
