import { ensureIndexes, isDuplicateKeyError } from '@shop/service-kit'
import type { Collection, Db } from 'mongodb'
import type { TicketPage, TicketRecord, TicketStore } from '../domain/tickets.js'

type TicketDocument = Omit<TicketRecord, 'id'> & { _id: string }

export class MongoTickets implements TicketStore {
  private readonly tickets: Collection<TicketDocument>

  constructor(db: Db) {
    this.tickets = db.collection<TicketDocument>('tickets')
  }

  async setUp(): Promise<void> {
    await ensureIndexes(this.tickets, [{ key: { userId: 1, createdAt: -1 } }])
  }

  async insertNew({ id, ...record }: TicketRecord): Promise<boolean> {
    const document: TicketDocument = { _id: id, ...record }
    // Optional fields are left out, not stored as null.
    if (document.orderId === undefined) delete document.orderId
    if (document.requestHash === undefined) delete document.requestHash
    try {
      await this.tickets.insertOne(document)
      return true
    } catch (error) {
      if (isDuplicateKeyError(error)) return false
      throw error
    }
  }

  async findById(id: string): Promise<TicketRecord | undefined> {
    return toRecord(await this.tickets.findOne({ _id: id }))
  }

  async findOwn(userId: string, id: string): Promise<TicketRecord | undefined> {
    return toRecord(await this.tickets.findOne({ _id: id, userId }))
  }

  async listOwn(userId: string, { skip, limit }: { skip: number; limit: number }): Promise<TicketPage> {
    const [documents, total] = await Promise.all([
      this.tickets.find({ userId }).sort({ createdAt: -1, _id: -1 }).skip(skip).limit(limit).toArray(),
      this.tickets.countDocuments({ userId }),
    ])
    return { items: documents.map((document) => toRecord(document)!), total }
  }
}

function toRecord(document: TicketDocument | null): TicketRecord | undefined {
  if (!document) return undefined
  const { _id, ...record } = document
  return { id: _id, ...record }
}
