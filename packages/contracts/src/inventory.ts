import { Type, type Static } from './typebox.js'
import { ListOf, ProductId } from './common.js'

export const InventoryItem = Type.Object({
  productId: ProductId,
  available: Type.Integer({ minimum: 0, description: 'Units that can be reserved now' }),
  updatedAt: Type.String({ format: 'date-time' }),
})
export type InventoryItem = Static<typeof InventoryItem>
export const InventoryList = ListOf(InventoryItem)

export const MOVEMENT_REASONS = ['initial', 'reservation', 'release', 'restock'] as const
export const StockMovement = Type.Object({
  productId: ProductId,
  seq: Type.Integer({ minimum: 0, description: 'Position in the product ledger, from 0' }),
  change: Type.Integer({ description: 'Units added (positive) or taken (negative)' }),
  availableAfter: Type.Integer({ minimum: 0 }),
  reason: Type.Enum(MOVEMENT_REASONS),
  orderId: Type.Optional(Type.String()),
  at: Type.String({ format: 'date-time' }),
})
export type StockMovement = Static<typeof StockMovement>
export const StockMovementList = ListOf(StockMovement)

export const OrderId = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'Order id' })

export const ReservationLine = Type.Object(
  { productId: ProductId, quantity: Type.Integer({ minimum: 1, maximum: 1000 }) },
  { additionalProperties: false },
)
export type ReservationLine = Static<typeof ReservationLine>

/** POST /api/reservations: all the lines or none, idempotent by order id. */
export const ReservationRequest = Type.Object(
  {
    orderId: OrderId,
    items: Type.Array(ReservationLine, {
      minItems: 1,
      maxItems: 100,
      uniqueItems: true,
      // JSON Schema cannot say "unique by productId"; uniqueItems refuses identical lines in the schema
      // itself, and the route refuses two lines of one product with the same 400.
      description: 'One line per product: a product named on two lines is a 400 problem',
    }),
  },
  { additionalProperties: false },
)
export type ReservationRequest = Static<typeof ReservationRequest>

export const Reservation = Type.Object({
  orderId: OrderId,
  status: Type.Enum(['reserved', 'released']),
  items: Type.Array(ReservationLine),
  createdAt: Type.String({ format: 'date-time' }),
  releasedAt: Type.Optional(Type.String({ format: 'date-time' })),
})
export type Reservation = Static<typeof Reservation>

/** Members of the 409 problem (type urn:shop:problem:insufficient-stock) when a line is short. */
export const Shortage = Type.Object({
  productId: ProductId,
  requested: Type.Integer(),
  available: Type.Integer(),
})
export type Shortage = Static<typeof Shortage>
