import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Cart, CartLineUpdate, CartQuote, Destination, ProductId, ShippingMethodId } from '@shop/contracts'
import { problemResponses, ProblemError, problemType, Type } from '@shop/service-kit'
import { principalOf } from '@shop/service-kit/auth'
import type { CatalogClient } from '../clients/catalog.js'
import type { ProfileClient } from '../clients/profile.js'
import type { ShippingClient } from '../clients/shipping.js'
import { MAX_CART_LINES, priceCart, shippingLines } from '../domain/cart.js'
import { requireData, type OrderData } from './guards.js'

export interface CartRoutesOptions {
  data: OrderData | undefined
  catalog: CatalogClient
  shipping: ShippingClient
  profile: ProfileClient
}

const security = [{ bearerAuth: [] }]

export const cartRoutes: FastifyPluginAsyncTypebox<CartRoutesOptions> = async (
  app,
  { data, catalog, shipping, profile },
) => {
  const pricedCart = async (userId: string) => {
    const lines = await requireData(data).carts.lines(userId)
    const products = await catalog.productsByIds(lines.map((line) => line.productId))
    return { cart: priceCart(lines, products), products }
  }

  app.get(
    '/api/cart',
    {
      schema: {
        tags: ['cart'],
        summary: "The signed-in user's cart, priced by the catalog",
        security,
        response: { 200: Cart, ...problemResponses(401, 500) },
      },
    },
    async (request) => (await pricedCart(principalOf(request).userId)).cart,
  )

  app.put(
    '/api/cart/items/:productId',
    {
      schema: {
        tags: ['cart'],
        summary: 'Set the quantity of a product in the cart (0 removes it)',
        security,
        params: Type.Object({ productId: ProductId }),
        body: CartLineUpdate,
        response: { 200: Cart, ...problemResponses(400, 401, 404, 409, 500) },
      },
    },
    async (request) => {
      const { carts } = requireData(data)
      const userId = principalOf(request).userId
      const { productId } = request.params
      const { quantity } = request.body
      if (quantity === 0) {
        await carts.removeLine(userId, productId)
      } else {
        if (!(await catalog.product(productId)))
          throw new ProblemError(404, `No product with id ${productId}`, {
            title: 'Product not found',
            type: problemType('product-not-found'),
          })
        const lines = await carts.lines(userId)
        if (!lines.some((line) => line.productId === productId) && lines.length >= MAX_CART_LINES)
          throw new ProblemError(409, `A cart holds at most ${MAX_CART_LINES} different products`, {
            title: 'Cart full',
            type: problemType('cart-full'),
          })
        await carts.setQuantity(userId, productId, quantity)
      }
      return (await pricedCart(userId)).cart
    },
  )

  app.delete(
    '/api/cart/items/:productId',
    {
      schema: {
        tags: ['cart'],
        summary: 'Remove a product from the cart (idempotent)',
        security,
        params: Type.Object({ productId: ProductId }),
        response: { 200: Cart, ...problemResponses(400, 401, 500) },
      },
    },
    async (request) => {
      await requireData(data).carts.removeLine(principalOf(request).userId, request.params.productId)
      return (await pricedCart(principalOf(request).userId)).cart
    },
  )

  app.get(
    '/api/cart/quote',
    {
      schema: {
        tags: ['cart'],
        summary:
          'The cart with a shipping quote and the total; the destination defaults to the saved address',
        security,
        querystring: Type.Object({
          shippingMethod: Type.Optional(ShippingMethodId),
          country: Type.Optional(Destination.properties.country),
          postalCode: Type.Optional(Destination.properties.postalCode),
        }),
        response: { 200: CartQuote, ...problemResponses(400, 401, 409, 500, 502, 504) },
      },
    },
    async (request) => {
      const principal = principalOf(request)
      const { cart, products } = await pricedCart(principal.userId)
      if (cart.items.length === 0)
        throw new ProblemError(409, 'The cart is empty', {
          title: 'Empty cart',
          type: problemType('empty-cart'),
        })
      const method = request.query.shippingMethod ?? 'standard'
      const { country, postalCode } = request.query
      let destination = country && postalCode ? { country, postalCode } : undefined
      if (!destination) {
        const saved = await profile.savedAddress(principal.token)
        if (!saved)
          throw new ProblemError(400, 'Give country and postalCode, or save an address in your profile', {
            title: 'Destination required',
            type: problemType('address-required'),
          })
        destination = { country: saved.country, postalCode: saved.postalCode }
      }
      const quote = await shipping.quote(shippingLines(cart, products), destination, method)
      return {
        ...cart,
        shippingMethod: method,
        shippingFee: quote.fee,
        total: cart.subtotal + quote.fee,
        estimatedDelivery: quote.estimatedDelivery,
      }
    },
  )
}
