// The shapes the BFF answers: the services' contracts (types only: nothing of TypeBox reaches the bundle).
import type { Product } from '@shop/contracts'

export type {
  Address,
  Cart,
  CartLine,
  CartQuote,
  CategoryList,
  CategorySummary,
  InventoryItem,
  Order,
  OrderList,
  Product,
  ProductPage,
  ProductSort,
  QuoteList,
  ShippingMethod,
  ShippingMethodId,
  ShippingPolicy,
  ShippingQuote,
  SupportInfo,
  Ticket,
  TicketRequest,
  User,
} from '@shop/contracts'

/** A product as the BFF answers it: product-catalog v2 adds the rating. */
export type ShopProduct = Product & { rating?: { average: number; count: number } }

export interface List<Item> {
  items: Item[]
  total: number
}
