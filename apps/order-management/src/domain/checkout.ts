import { createHash } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Address, Order, PlaceOrderRequest } from '@shop/contracts'
import { ProblemError, problemType, type Principal } from '@shop/service-kit'
import type { FastifyBaseLogger } from 'fastify'
import type { CatalogClient } from '../clients/catalog.js'
import type { InventoryClient } from '../clients/inventory.js'
import type { ProfileClient } from '../clients/profile.js'
import type { ShippingClient } from '../clients/shipping.js'
import type { CartStore } from '../store/carts.js'
import type { OrderStore } from '../store/orders.js'
import { priceCart, shippingLines } from './cart.js'
import { newOrderId } from './ids.js'

export interface CheckoutClients {
  catalog: CatalogClient
  inventory: InventoryClient
  shipping: ShippingClient
  profile: ProfileClient
}

export interface CheckoutDependencies extends CheckoutClients {
  carts: CartStore
  orders: OrderStore
}

/** How long a repeat of a key waits for the first attempt (longer than that attempt's upstream calls). */
const IN_PROGRESS_WAIT_MS = 20_000
const IN_PROGRESS_POLL_MS = 100

export interface PlacedOrder {
  order: Order
  /** True when this answer repeats an order placed earlier with the same Idempotency-Key. */
  replayed: boolean
}

/**
 * Places an order exactly once per (user, Idempotency-Key):
 *
 * 1. claim the key with a unique insert (atomic on FerretDB and MongoDB alike); a repeat waits for the
 *    first attempt and answers its order;
 * 2. price the cart with the catalog's prices (never the client's), find the address, quote shipping;
 * 3. reserve the stock (all lines or none, idempotent by order id);
 * 4. create the shipment (idempotent by order id), store the order, mark the key completed;
 * 5. empty the ordered lines from the cart.
 *
 * Any failure from step 3 on releases the reservation (even a reservation whose answer never came);
 * any failure at all frees the key, so the person can retry with the same key once the cause is gone.
 */
export class Checkout {
  constructor(
    private readonly deps: CheckoutDependencies,
    private readonly log: FastifyBaseLogger,
  ) {}

  async placeOrder(principal: Principal, key: string, request: PlaceOrderRequest): Promise<PlacedOrder> {
    const requestHash = hashRequest(request)
    for (;;) {
      const claim = await this.deps.orders.claimKey(principal.userId, key, requestHash, newOrderId())
      if (claim.claimed)
        return { order: await this.attempt(principal, claim.orderId, request, claim.keyId), replayed: false }
      if (claim.requestHash !== requestHash)
        throw new ProblemError(422, 'This Idempotency-Key was already used for a different order request', {
          title: 'Idempotency-Key reused',
          type: problemType('idempotency-key-reused'),
        })
      const earlier = await this.awaitAttempt(principal.userId, claim.keyId, claim.orderId)
      if (earlier) return { order: earlier, replayed: true }
      // The earlier attempt failed and freed the key: this request makes its own attempt.
    }
  }

  private async attempt(
    principal: Principal,
    orderId: string,
    request: PlaceOrderRequest,
    keyId: string,
  ): Promise<Order> {
    const { carts, orders, catalog, inventory, shipping } = this.deps
    // Set before the call: a reservation whose answer was lost (a timeout) may still land, and the
    // inventory refuses a late reservation for an order id that was already released.
    let reservationAttempted = false
    try {
      const lines = await carts.lines(principal.userId)
      const products = await catalog.productsByIds(lines.map((line) => line.productId))
      const cart = priceCart(lines, products)
      if (cart.items.length === 0)
        throw new ProblemError(409, 'The cart is empty: add something before placing an order', {
          title: 'Empty cart',
          type: problemType('empty-cart'),
        })
      const address = request.address ?? (await this.savedAddress(principal))
      const items = shippingLines(cart, products)
      const quote = await shipping.quote(
        items,
        { country: address.country, postalCode: address.postalCode },
        request.shippingMethod,
      )

      reservationAttempted = true
      await inventory.reserve(
        orderId,
        cart.items.map(({ productId, quantity }) => ({ productId, quantity })),
      )
      const shipment = await shipping.createShipment(orderId, request.shippingMethod, address, items)
      const order: Order = {
        id: orderId,
        status: 'placed',
        items: cart.items,
        subtotal: cart.subtotal,
        shippingFee: quote.fee,
        total: cart.subtotal + quote.fee,
        currency: 'USD',
        shippingMethod: request.shippingMethod,
        address,
        trackingNumber: shipment.trackingNumber,
        createdAt: new Date().toISOString(),
      }
      await orders.insert(principal.userId, order)
      await orders.completeKey(keyId)
      await carts
        .removeLines(
          principal.userId,
          cart.items.map((line) => line.productId),
        )
        .catch((error: unknown) => {
          // The order stands; a cart that still shows the ordered lines is a nuisance, not a loss.
          this.log.warn({ err: error, orderId }, 'could not empty the cart after the order')
        })
      return order
    } catch (error) {
      if (reservationAttempted) await this.releaseQuietly(orderId)
      await orders
        .freeKey(keyId)
        .catch((freeError: unknown) =>
          this.log.error(
            { err: freeError, orderId },
            'could not free the idempotency key after a failed order',
          ),
        )
      throw error
    }
  }

  /** Waits while the attempt that holds the key runs; its order, or undefined if it failed. */
  private async awaitAttempt(userId: string, keyId: string, orderId: string): Promise<Order | undefined> {
    const deadline = Date.now() + IN_PROGRESS_WAIT_MS
    for (;;) {
      const state = await this.deps.orders.keyState(keyId)
      if (state === 'freed') return undefined
      // An order stored under the key's order id means the attempt succeeded, even if it stopped
      // before marking the key completed.
      const order = await this.deps.orders.findOwn(userId, orderId)
      if (order) return order
      if (state === 'completed')
        throw new Error(`idempotency key ${keyId} is completed but order ${orderId} is missing`)
      if (Date.now() > deadline)
        throw new ProblemError(
          409,
          'An order with this Idempotency-Key is still being placed; retry in a moment',
          {
            title: 'Order in progress',
            type: problemType('order-in-progress'),
          },
        )
      await sleep(IN_PROGRESS_POLL_MS)
    }
  }

  private async savedAddress(principal: Principal): Promise<Address> {
    const address = await this.deps.profile.savedAddress(principal.token)
    if (!address)
      throw new ProblemError(
        400,
        'No shipping address: give one with the order or save one in your profile',
        {
          title: 'Address required',
          type: problemType('address-required'),
        },
      )
    return address
  }

  private async releaseQuietly(orderId: string): Promise<void> {
    try {
      await this.deps.inventory.release(orderId)
    } catch (error) {
      // The inventory refuses late reservations for released orders, so retrying the release later is
      // enough; the log line is what an operator needs to do it.
      this.log.error(
        { err: error, orderId },
        'could not release the reservation of a failed order: stock is held',
      )
    }
  }
}

function hashRequest(request: PlaceOrderRequest): string {
  return createHash('sha256')
    .update(JSON.stringify([request.shippingMethod, request.address ?? null]))
    .digest('hex')
}
