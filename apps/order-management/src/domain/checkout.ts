import { createHash } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Address, Order, PlaceOrderRequest } from '@shop/contracts'
import { ProblemError, problemType } from '@shop/service-kit'
import type { Principal } from '@shop/service-kit/auth'
import type { FastifyBaseLogger } from 'fastify'
import type { CatalogClient } from '../clients/catalog.js'
import type { ProfileClient } from '../clients/profile.js'
import { priceCart, shippingLines } from './cart.js'
import { newOrderId } from './ids.js'
import { RetryLaterError } from './retry-later.js'
import { settleCheckout, type SettleDependencies, type StepsReached } from './settle.js'
import { MAX_ATTEMPTS_PER_KEY, type Decision, type KeyAttempt, type OrderedLine } from './stores.js'

export interface CheckoutDependencies extends SettleDependencies {
  catalog: CatalogClient
  profile: ProfileClient
}

export interface CheckoutTiming {
  /** How long an attempt owns its order before anyone may settle it (CHECKOUT_LEASE_MS). */
  leaseMs: number
  /** How long a repeat of a key waits for the attempt in progress before answering 409. */
  waitMs: number
}

const POLL_MS = 100

export interface PlacedOrder {
  order: Order
  /** True when this answer repeats an order placed earlier with the same Idempotency-Key. */
  replayed: boolean
}

/**
 * Places an order exactly once per (user, Idempotency-Key), as the saga of docs/checkout.md:
 *
 * 1. open the checkout (the reconciler's handle on it) and claim the key's next attempt by unique
 *    insert, with a lease; a repeat of the key waits for the attempt, or settles it once its lease ended;
 * 2. price the cart with the catalog's prices (never the client's), find the address, quote shipping;
 * 3. reserve the stock (all lines or none, idempotent by order id), book the shipment (likewise);
 * 4. take a history slot and store the order: the COMMIT POINT, a unique insert by order id that an
 *    abort (this request's or a settler's) races for; the first one decides the order id;
 * 5. remove the ordered cart lines that did not change meanwhile, close the checkout, and put the
 *    order in the user's history head (a cache for the first page: see OrderStore.listOwn).
 *
 * A failure before 4 aborts: the order id is decided aborted (which frees the key for a new attempt),
 * the stock released and the shipment cancelled. A failure whose outcome is unknown (the database
 * did not answer the commit) undoes nothing: the checkout stays open, and whoever settles it after
 * the lease finds the order placed or aborts it. A failure after 4 changes nothing: the order stands.
 */
export class Checkout {
  constructor(
    private readonly deps: CheckoutDependencies,
    private readonly timing: CheckoutTiming,
    private readonly log: FastifyBaseLogger,
  ) {}

  async placeOrder(principal: Principal, key: string, request: PlaceOrderRequest): Promise<PlacedOrder> {
    const { userId } = principal
    const requestHash = hashRequest(request)
    const orderId = newOrderId()
    const leaseUntil = new Date(Date.now() + this.timing.leaseMs)
    await this.deps.checkouts.markOpen({ orderId, userId, leaseUntil })
    for (let number = 1; number <= MAX_ATTEMPTS_PER_KEY; number++) {
      const claim = await this.deps.checkouts.claim(key, number, { userId, orderId, requestHash, leaseUntil })
      if (claim.claimed)
        return { order: await this.attempt(principal, claim.attempt, request), replayed: false }
      const earlier = claim.attempt
      if (!earlier) continue
      const decision = await this.outcomeOf(earlier, earlier.requestHash === requestHash)
      if (decision.outcome === 'aborted') continue
      if (earlier.requestHash !== requestHash) throw keyReused()
      await this.closeQuietly(orderId)
      return { order: decision.order, replayed: true }
    }
    await this.closeQuietly(orderId)
    throw new ProblemError(422, `This Idempotency-Key failed ${MAX_ATTEMPTS_PER_KEY} times: use a new one`, {
      title: 'Idempotency-Key exhausted',
      type: problemType('idempotency-key-exhausted'),
    })
  }

  private async attempt(
    principal: Principal,
    attempt: KeyAttempt,
    request: PlaceOrderRequest,
  ): Promise<Order> {
    const { carts, orders, catalog, inventory, shipping } = this.deps
    const { userId } = principal
    const { orderId } = attempt
    let order: Order
    let orderedLines: OrderedLine[]
    // Set before each call: a call whose answer was lost (a timeout) may still have landed.
    const reached = { reservation: false, shipment: false }
    try {
      const lines = await carts.lines(userId)
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
      reached.reservation = true
      await inventory.reserve(
        orderId,
        cart.items.map(({ productId, quantity }) => ({ productId, quantity })),
      )
      reached.shipment = true
      const shipment = await shipping.createShipment(orderId, request.shippingMethod, address, items)
      order = {
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
      const ordered = new Set(cart.items.map((line) => line.productId))
      orderedLines = lines.filter((line) => ordered.has(line.productId))
    } catch (error) {
      await this.abortQuietly(userId, orderId, reached)
      throw error
    }

    let decision: Decision
    let historySlot: number
    try {
      historySlot = await orders.allocateSlot(userId, orderId)
      decision = await orders.commit({ userId, order, historySlot, orderedLines })
    } catch (error) {
      // The order may or may not be stored: nothing is undone here. The checkout stays open; after
      // the lease, a retry of the key or the reconciler finds the order placed, or aborts it.
      this.log.error({ err: error, orderId }, 'could not store the order: its checkout is left to settle')
      throw this.unconfirmed(attempt)
    }
    if (decision.outcome === 'aborted') {
      // This request outlived its lease and a settler aborted the order: it undoes the rest.
      await this.abortQuietly(userId, orderId)
      throw new RetryLaterError(503, 'Placing this order took too long and was cancelled: try again', {
        title: 'Order not placed',
        slug: 'checkout-expired',
        retryAfterSeconds: 1,
      })
    }
    try {
      await carts.removeOrdered(userId, orderedLines)
      await this.deps.checkouts.markSettled(orderId)
    } catch (error) {
      // The order stands; the reconciler empties the cart lines and closes the checkout later.
      this.log.warn({ err: error, orderId }, 'could not finish the checkout after the order was placed')
    }
    try {
      await orders.addToHead(userId, historySlot, decision.order)
    } catch (error) {
      // The history reads the order by its slot instead, and the next page 1 writes the head.
      this.log.warn({ err: error, orderId }, 'could not put the order in the history head')
    }
    return decision.order
  }

  /**
   * The decision of an earlier attempt of the key: waits while its lease runs, settles it once the
   * lease has ended (the request that held it died or gave up), and answers 409 with Retry-After
   * when the wait is over first.
   */
  private async outcomeOf(earlier: KeyAttempt, sameRequest: boolean): Promise<Decision> {
    const waitUntil = Date.now() + (sameRequest ? this.timing.waitMs : 0)
    for (;;) {
      const decision = await this.deps.orders.decision(earlier.orderId)
      if (decision) return decision
      if (Date.now() > earlier.leaseUntil.getTime())
        return settleCheckout(this.deps, earlier.userId, earlier.orderId)
      if (Date.now() > waitUntil) {
        if (!sameRequest) throw keyReused()
        throw new RetryLaterError(
          409,
          'An order with this Idempotency-Key is still being placed; retry in a moment',
          {
            title: 'Order in progress',
            slug: 'order-in-progress',
            retryAfterSeconds: secondsUntil(earlier.leaseUntil),
          },
        )
      }
      await sleep(POLL_MS)
    }
  }

  /** Aborts the order id before its commit point; what fails here is left to the reconciler. */
  private async abortQuietly(userId: string, orderId: string, reached?: StepsReached): Promise<void> {
    try {
      await settleCheckout(this.deps, userId, orderId, reached)
    } catch (error) {
      this.log.error({ err: error, orderId }, 'could not undo a failed checkout yet: the reconciler will')
    }
  }

  private async closeQuietly(orderId: string): Promise<void> {
    // Opened before the key told this request it had nothing to do; the reconciler closes it otherwise.
    await this.deps.checkouts.markSettled(orderId).catch(() => undefined)
  }

  private unconfirmed(attempt: KeyAttempt): RetryLaterError {
    return new RetryLaterError(
      503,
      'The order database did not confirm the order: retry with the same Idempotency-Key, it will not be placed twice',
      {
        title: 'Order not confirmed',
        slug: 'database-unavailable',
        retryAfterSeconds: secondsUntil(attempt.leaseUntil),
      },
    )
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
}

function keyReused(): ProblemError {
  return new ProblemError(422, 'This Idempotency-Key was already used for a different order request', {
    title: 'Idempotency-Key reused',
    type: problemType('idempotency-key-reused'),
  })
}

function secondsUntil(at: Date): number {
  return Math.max(1, Math.ceil((at.getTime() - Date.now()) / 1000))
}

function hashRequest(request: PlaceOrderRequest): string {
  return createHash('sha256')
    .update(JSON.stringify([request.shippingMethod, request.address ?? null]))
    .digest('hex')
}
