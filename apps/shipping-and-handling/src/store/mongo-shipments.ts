import { ensureIndexes, isDuplicateKeyError } from '@shop/service-kit'
import type { Collection, Db } from 'mongodb'
import type { ShipmentRecord, ShipmentStore } from '../domain/shipments.js'

/** The order id is the document id: the unique key that makes one shipment per order atomic. */
type ShipmentDocument = Omit<ShipmentRecord, 'orderId'> & { _id: string }
/** Keyed by order id and written once, like the shipments: a cancellation is never undone. */
interface CancellationDocument {
  _id: string
  cancelledAt: Date
}

export class MongoShipments implements ShipmentStore {
  private readonly shipments: Collection<ShipmentDocument>
  private readonly cancellations: Collection<CancellationDocument>

  constructor(db: Db) {
    this.shipments = db.collection<ShipmentDocument>('shipments')
    this.cancellations = db.collection<CancellationDocument>('shipment_cancellations')
  }

  async setUp(): Promise<void> {
    await ensureIndexes(this.shipments, [{ key: { trackingNumber: 1 }, options: { unique: true } }])
  }

  async insertNew({ orderId, ...record }: ShipmentRecord): Promise<boolean> {
    try {
      await this.shipments.insertOne({ _id: orderId, ...record })
      return true
    } catch (error) {
      if (isDuplicateKeyError(error)) return false
      throw error
    }
  }

  async recordCancellation(orderId: string, at: Date): Promise<Date> {
    try {
      await this.cancellations.insertOne({ _id: orderId, cancelledAt: at })
      return at
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error
    }
    const cancelledAt = await this.findCancellation(orderId)
    if (!cancelledAt) throw new Error(`the cancellation of ${orderId} exists and cannot be read`)
    return cancelledAt
  }

  async findCancellation(orderId: string): Promise<Date | undefined> {
    return (await this.cancellations.findOne({ _id: orderId }))?.cancelledAt
  }

  async findByOrderId(orderId: string): Promise<ShipmentRecord | undefined> {
    return toRecord(await this.shipments.findOne({ _id: orderId }))
  }

  async findByTrackingNumber(trackingNumber: string): Promise<ShipmentRecord | undefined> {
    return toRecord(await this.shipments.findOne({ trackingNumber }))
  }
}

function toRecord(document: ShipmentDocument | null): ShipmentRecord | undefined {
  if (!document) return undefined
  const { _id, ...record } = document
  return { orderId: _id, ...record }
}
