import { createHash } from 'node:crypto'
import type { Address, ShipmentRequest, ShippingLine, ShippingMethodId } from '@shop/contracts'
import { ProblemError, problemType } from '@shop/service-kit'
import type { DeliveryWindow } from './business-days.js'
import { destinationZone } from './destination.js'
import type { FeeItem } from './fees.js'
import { quoteForZone } from './quote.js'
import { eventsUntil, shipmentTimeline, type ShipmentEvent, type ShipmentStatus } from './shipment-status.js'
import { newTrackingNumber } from './tracking.js'

/** A shipment as stored: one per order, with the fee and estimate fixed when it was booked. */
export interface ShipmentRecord {
  orderId: string
  trackingNumber: string
  method: ShippingMethodId
  address: Address
  items: ShippingLine[]
  fee: number
  currency: 'USD'
  breakdown: FeeItem[]
  createdAt: Date
  estimatedDelivery: DeliveryWindow
  /** Fingerprint of the request that booked it, to tell a retry from a conflicting second booking. */
  requestHash: string
}

export interface ShipmentStore {
  /** Inserts unless the order or the tracking number already has a shipment; false when one does. */
  insertNew(record: ShipmentRecord): Promise<boolean>
  /** Records the order's cancellation unless it has one (write-once); answers when it was cancelled. */
  recordCancellation(orderId: string, at: Date): Promise<Date>
  findCancellation(orderId: string): Promise<Date | undefined>
  findByOrderId(orderId: string): Promise<ShipmentRecord | undefined>
  findByTrackingNumber(trackingNumber: string): Promise<ShipmentRecord | undefined>
}

/** A shipment as answered: the record with its status as of now. */
export interface ShipmentView extends Omit<ShipmentRecord, 'items' | 'requestHash' | 'createdAt'> {
  createdAt: string
  status: ShipmentStatus
  events: ShipmentEvent[]
}

export interface CancellationView {
  orderId: string
  status: 'cancelled'
  cancelledAt: string
  trackingNumber?: string
}

const TRACKING_NUMBER_ATTEMPTS = 5

export class Shipments {
  constructor(
    private readonly store: ShipmentStore,
    private readonly clock: () => Date,
  ) {}

  /**
   * Books the order's shipment, or answers the one it already has. Exactly one shipment per order
   * however many requests race: the order id is the document's unique key, so only one insert lands
   * and the others read what it stored. A cancelled order cannot be booked: the booking is written
   * first and the cancellation read after it, while a cancellation is written before it reads the
   * booking, so whichever comes second sees the other.
   */
  async book(request: ShipmentRequest): Promise<{ shipment: ShipmentView; created: boolean }> {
    const zone = destinationZone(request.address, '/address/postalCode')
    const now = this.clock()
    const quote = quoteForZone(request.items, zone, request.method, now)
    const requestHash = fingerprint(request)
    for (let attempt = 0; attempt < TRACKING_NUMBER_ATTEMPTS; attempt++) {
      const record: ShipmentRecord = {
        orderId: request.orderId,
        trackingNumber: newTrackingNumber(),
        method: request.method,
        address: request.address,
        items: request.items,
        fee: quote.fee,
        currency: quote.currency,
        breakdown: quote.breakdown,
        createdAt: now,
        estimatedDelivery: quote.estimatedDelivery,
        requestHash,
      }
      if (await this.store.insertNew(record)) {
        await this.refuseIfCancelled(request.orderId)
        return { shipment: this.view(record), created: true }
      }
      const existing = await this.store.findByOrderId(request.orderId)
      if (existing) {
        if (existing.requestHash !== requestHash) throw conflict(existing)
        await this.refuseIfCancelled(request.orderId)
        return { shipment: this.view(existing), created: false }
      }
      // Not the order: the drawn tracking number was taken (one chance in 2^50); draw again.
    }
    throw new Error(`no free tracking number after ${TRACKING_NUMBER_ATTEMPTS} attempts`)
  }

  /**
   * Cancels the order's shipment, booked or not yet: idempotent, and a booking arriving later is
   * refused. It is how order-management undoes the shipment of an order that was never placed.
   */
  async cancel(orderId: string): Promise<CancellationView> {
    const cancelledAt = await this.store.recordCancellation(orderId, this.clock())
    const booked = await this.store.findByOrderId(orderId)
    return {
      orderId,
      status: 'cancelled',
      cancelledAt: cancelledAt.toISOString(),
      ...(booked ? { trackingNumber: booked.trackingNumber } : {}),
    }
  }

  async track(trackingNumber: string): Promise<ShipmentView | undefined> {
    const record = await this.store.findByTrackingNumber(trackingNumber)
    if (!record) return undefined
    return this.view(record, await this.store.findCancellation(record.orderId))
  }

  private async refuseIfCancelled(orderId: string): Promise<void> {
    const cancelledAt = await this.store.findCancellation(orderId)
    if (cancelledAt)
      throw new ProblemError(409, `The shipment of order ${orderId} was cancelled: it cannot be booked`, {
        title: 'Shipment cancelled',
        type: problemType('shipment-cancelled'),
      })
  }

  private view(
    { items: _items, requestHash: _hash, ...record }: ShipmentRecord,
    cancelledAt?: Date,
  ): ShipmentView {
    const reached = eventsUntil(
      shipmentTimeline(record.createdAt, record.estimatedDelivery.earliest),
      this.clock(),
    )
    const events: ShipmentEvent[] = cancelledAt
      ? [
          ...reached.filter((event) => Date.parse(event.at) <= cancelledAt.getTime()).slice(0, 1),
          { status: 'cancelled', at: cancelledAt.toISOString() },
        ]
      : reached
    return { ...record, createdAt: record.createdAt.toISOString(), status: events.at(-1)!.status, events }
  }
}

function conflict(existing: ShipmentRecord): ProblemError {
  return new ProblemError(
    409,
    `Order ${existing.orderId} already has shipment ${existing.trackingNumber}, booked with a different method, address or items`,
    {
      title: 'Shipment already booked',
      type: problemType('shipment-conflict'),
      extensions: { trackingNumber: existing.trackingNumber },
    },
  )
}

/** The same request in any key or line order gives the same fingerprint. */
export function fingerprint(request: ShipmentRequest): string {
  const items = request.items.map(canonicalJson).sort()
  const canonical = canonicalJson({ method: request.method, address: request.address, items })
  return createHash('sha256').update(canonical).digest('hex')
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
      .join(',')}}`
  return JSON.stringify(value)
}
