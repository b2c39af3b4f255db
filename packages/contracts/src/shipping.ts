import { Type, type Static } from './typebox.js'
import { Address, usZipCodeRule } from './address.js'
import { Cents, Currency, ListOf, ProductId } from './common.js'
import { OrderId } from './inventory.js'

export const SHIPPING_METHOD_IDS = ['standard', 'express', 'overnight'] as const
export const ShippingMethodId = Type.Enum(SHIPPING_METHOD_IDS)
export type ShippingMethodId = (typeof SHIPPING_METHOD_IDS)[number]

export const ShippingMethod = Type.Object({
  id: ShippingMethodId,
  name: Type.String(),
  description: Type.String(),
  baseFee: Cents,
  currency: Currency,
  businessDays: Type.Object({ min: Type.Integer({ minimum: 0 }), max: Type.Integer({ minimum: 0 }) }),
})
export type ShippingMethod = Static<typeof ShippingMethod>
export const ShippingMethodList = ListOf(ShippingMethod)

/** What the fee depends on: the caller passes each line's category and weight from the catalog. */
export const ShippingLine = Type.Object(
  {
    productId: ProductId,
    quantity: Type.Integer({ minimum: 1, maximum: 1000 }),
    weightGrams: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
    category: Type.String({ pattern: '^[a-z0-9-]{1,40}$' }),
  },
  { additionalProperties: false },
)
export type ShippingLine = Static<typeof ShippingLine>

export const Destination = Type.Object(
  {
    country: Type.String({ pattern: '^[A-Z]{2}$' }),
    postalCode: Type.String({ minLength: 2, maxLength: 12, pattern: '^[A-Za-z0-9 -]+$' }),
  },
  { additionalProperties: false, ...usZipCodeRule },
)
export type Destination = Static<typeof Destination>

/** POST /api/shipping/quote */
export const QuoteRequest = Type.Object(
  {
    items: Type.Array(ShippingLine, { minItems: 1, maxItems: 100 }),
    destination: Destination,
    method: Type.Optional(ShippingMethodId),
  },
  { additionalProperties: false },
)
export type QuoteRequest = Static<typeof QuoteRequest>

export const ShippingQuote = Type.Object({
  method: ShippingMethodId,
  fee: Cents,
  currency: Currency,
  estimatedDelivery: Type.Object({
    earliest: Type.String({ format: 'date' }),
    latest: Type.String({ format: 'date' }),
  }),
})
export type ShippingQuote = Static<typeof ShippingQuote>
/** One quote per method (only the asked method when `method` is given). */
export const QuoteList = ListOf(ShippingQuote)

/** POST /api/shipments: idempotent by order id. */
export const ShipmentRequest = Type.Object(
  {
    orderId: OrderId,
    method: ShippingMethodId,
    address: Address,
    items: Type.Array(ShippingLine, { minItems: 1, maxItems: 100 }),
  },
  { additionalProperties: false },
)
export type ShipmentRequest = Static<typeof ShipmentRequest>

export const SHIPMENT_STATUSES = [
  'label-created',
  'in-transit',
  'out-for-delivery',
  'delivered',
  'cancelled',
] as const
export const Shipment = Type.Object({
  trackingNumber: Type.String(),
  orderId: OrderId,
  method: ShippingMethodId,
  status: Type.Enum(SHIPMENT_STATUSES),
  fee: Cents,
  currency: Currency,
  address: Address,
  createdAt: Type.String({ format: 'date-time' }),
  estimatedDelivery: Type.Object({
    earliest: Type.String({ format: 'date' }),
    latest: Type.String({ format: 'date' }),
  }),
})
export type Shipment = Static<typeof Shipment>

export const ShippingPolicy = Type.Object({
  title: Type.String(),
  updatedOn: Type.String({ format: 'date' }),
  sections: Type.Array(Type.Object({ heading: Type.String(), body: Type.String() })),
})
export type ShippingPolicy = Static<typeof ShippingPolicy>

/** DELETE /api/shipments/by-order/:orderId: the order's shipment is cancelled, or can never be booked. */
export const ShipmentCancellation = Type.Object({
  orderId: OrderId,
  status: Type.Literal('cancelled'),
  cancelledAt: Type.String({ format: 'date-time' }),
  trackingNumber: Type.Optional(
    Type.String({ description: 'Absent when the cancellation came before any booking' }),
  ),
})
export type ShipmentCancellation = Static<typeof ShipmentCancellation>
