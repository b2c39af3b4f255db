import { Type, type Static } from './typebox.js'
import { Address } from './address.js'
import { Cents, Currency, ListOf, ProductId } from './common.js'
import { ShippingMethodId } from './shipping.js'

export const CartLine = Type.Object({
  productId: ProductId,
  name: Type.String(),
  image: Type.String(),
  unitPrice: Cents,
  quantity: Type.Integer({ minimum: 1 }),
  lineTotal: Cents,
})
export type CartLine = Static<typeof CartLine>

export const Cart = Type.Object({
  items: Type.Array(CartLine),
  itemCount: Type.Integer({ minimum: 0 }),
  subtotal: Cents,
  currency: Currency,
})
export type Cart = Static<typeof Cart>

/** PUT /api/cart/items/:productId; 0 removes the line. */
export const CartLineUpdate = Type.Object(
  { quantity: Type.Integer({ minimum: 0, maximum: 99 }) },
  { additionalProperties: false },
)

export const CartQuote = Type.Object({
  ...Cart.properties,
  shippingMethod: ShippingMethodId,
  shippingFee: Cents,
  total: Cents,
  estimatedDelivery: Type.Object({ earliest: Type.String(), latest: Type.String() }),
})
export type CartQuote = Static<typeof CartQuote>

/** POST /api/orders, with an Idempotency-Key header. The address defaults to the profile's. */
export const PlaceOrderRequest = Type.Object(
  { shippingMethod: ShippingMethodId, address: Type.Optional(Address) },
  { additionalProperties: false },
)
export type PlaceOrderRequest = Static<typeof PlaceOrderRequest>

export const ORDER_STATUSES = ['placed', 'shipped', 'delivered', 'cancelled'] as const
export const Order = Type.Object({
  id: Type.String(),
  status: Type.Enum(ORDER_STATUSES),
  items: Type.Array(CartLine),
  subtotal: Cents,
  shippingFee: Cents,
  total: Cents,
  currency: Currency,
  shippingMethod: ShippingMethodId,
  address: Address,
  trackingNumber: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
})
export type Order = Static<typeof Order>
export const OrderList = ListOf(Order)
