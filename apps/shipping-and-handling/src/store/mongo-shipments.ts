import { ensureIndexes, isDuplicateKeyError } from '@shop/service-kit'
import type { Collection, Db } from 'mongodb'
import type { ShipmentRecord, ShipmentStore } from '../domain/shipments.js'

/** The order id is the document id: the unique key that makes one shipment per order atomic. */
type ShipmentDocument = Omit<ShipmentRecord, 'orderId'> & { _id: string }

export class MongoShipments implements ShipmentStore {
  private readonly shipments: Collection<ShipmentDocument>

  constructor(db: Db) {
    this.shipments = db.collection<ShipmentDocument>('shipments')
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
