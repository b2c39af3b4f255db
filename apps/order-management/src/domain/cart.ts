import type { Cart, CartLine, Product, ShippingLine } from '@shop/contracts'

/** A cart line as stored: only what the user chose. Names and prices always come from the catalog. */
export interface StoredCartLine {
  productId: string
  quantity: number
}

export const MAX_CART_LINES = 50

/**
 * Prices a cart with the catalog's current products. Lines whose product the catalog no longer has
 * are left out, so a cart never shows, or charges for, something that cannot be bought.
 */
export function priceCart(lines: StoredCartLine[], products: Map<string, Product>): Cart {
  const items: CartLine[] = []
  for (const { productId, quantity } of lines) {
    const product = products.get(productId)
    if (!product) continue
    items.push({
      productId,
      name: product.name,
      image: product.image,
      unitPrice: product.price,
      quantity,
      lineTotal: product.price * quantity,
    })
  }
  return {
    items,
    itemCount: items.reduce((count, line) => count + line.quantity, 0),
    subtotal: items.reduce((sum, line) => sum + line.lineTotal, 0),
    currency: 'USD',
  }
}

/** What the shipping service needs to price the cart's lines: quantity, weight and category. */
export function shippingLines(cart: Cart, products: Map<string, Product>): ShippingLine[] {
  return cart.items.map(({ productId, quantity }) => {
    const product = products.get(productId)!
    return { productId, quantity, weightGrams: product.weightGrams, category: product.category }
  })
}
