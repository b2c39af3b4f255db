import type { SHIPMENT_STATUSES } from '@shop/contracts'

export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number]

export interface ShipmentEvent {
  status: ShipmentStatus
  at: string
}

const HOUR_MS = 60 * 60 * 1000
/** A parcel is collected within this long of its label being created (sooner for next-day deliveries). */
const PICKUP_WITHIN_MS = 6 * HOUR_MS
/** Delivery rounds on the delivery day, in UTC. */
const OUT_FOR_DELIVERY_HOUR = 8
const DELIVERED_HOUR = 18

/**
 * When the parcel reaches each status: the label at booking; in transit once collected; out for
 * delivery on the morning of the earliest delivery date; delivered that evening. There is no carrier
 * behind this shop, so the timeline follows from the booking time and the estimate alone.
 */
export function shipmentTimeline(createdAt: Date, earliestDelivery: string): ShipmentEvent[] {
  const created = createdAt.getTime()
  const deliveryDay = Date.parse(`${earliestDelivery}T00:00:00Z`)
  const outForDelivery = Math.max(deliveryDay + OUT_FOR_DELIVERY_HOUR * HOUR_MS, created + 2)
  const delivered = Math.max(deliveryDay + DELIVERED_HOUR * HOUR_MS, outForDelivery + 1)
  const inTransit =
    created + Math.max(1, Math.min(PICKUP_WITHIN_MS, Math.floor((outForDelivery - created) / 2)))
  return [
    { status: 'label-created', at: new Date(created).toISOString() },
    { status: 'in-transit', at: new Date(inTransit).toISOString() },
    { status: 'out-for-delivery', at: new Date(outForDelivery).toISOString() },
    { status: 'delivered', at: new Date(delivered).toISOString() },
  ]
}

/** The milestones reached by `now`, oldest first; the last one is the shipment's status. */
export function eventsUntil(timeline: ShipmentEvent[], now: Date): ShipmentEvent[] {
  const reached = timeline.filter((event) => Date.parse(event.at) <= now.getTime())
  // A clock behind the booking time (clock skew between instances) still shows the label.
  return reached.length > 0 ? reached : timeline.slice(0, 1)
}
