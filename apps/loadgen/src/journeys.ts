import { randomUUID } from 'node:crypto'
import type { VirtualBrowser } from './browser.js'

/** What a journey needs to know of the catalog: ids, and what shipping quotes depend on. */
export interface KnownProduct {
  id: string
  category: string
  weightGrams: number
}

/** A virtual user: a browser, and an account once the journeys needed one. */
export interface Visitor {
  browser: VirtualBrowser
  products: KnownProduct[]
  account?: { email: string; password: string }
  signedIn: boolean
  /** Counter for the visitor's unique names (e-mails, keys). */
  serial: string
}

export type Journey = (visitor: Visitor, pause: () => Promise<void>) => Promise<void>

const CATEGORIES = ['audio', 'computing', 'home', 'outdoor', 'fitness', 'books']
const SEARCHES = ['wireless', 'coffee', 'guide', 'steel', 'battery', 'light']
const SORTS = ['name', 'price-asc', 'price-desc', 'newest']
const ADDRESS = {
  line1: '500 Howard St',
  city: 'San Francisco',
  region: 'CA',
  postalCode: '94105',
  country: 'US',
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!

/** 1. Browse the catalog, filter by category, search. */
export const browse: Journey = async ({ browser }, pause) => {
  await browser.send({ route: 'GET /api/categories', path: '/api/categories' })
  await pause()
  await browser.send({
    route: 'GET /api/products',
    path: `/api/products?category=${pick(CATEGORIES)}&sort=${pick(SORTS)}`,
  })
  await pause()
  if (Math.random() < 0.5) {
    await browser.send({ route: 'GET /api/products', path: `/api/products?q=${pick(SEARCHES)}` })
  } else {
    await browser.send({
      route: 'GET /api/products',
      path: `/api/products?page=${1 + Math.floor(Math.random() * 3)}`,
    })
  }
}

/** 2. Open a product: details, availability, shipping estimate. */
export const viewProduct: Journey = async ({ browser, products }, pause) => {
  const product = pick(products)
  await browser.send({ route: 'GET /api/products/:id', path: `/api/products/${product.id}` })
  await browser.send({ route: 'GET /api/inventory/:productId', path: `/api/inventory/${product.id}` })
  await pause()
  await browser.send({
    route: 'POST /api/shipping/quote',
    path: '/api/shipping/quote',
    body: {
      items: [
        { productId: product.id, quantity: 1, weightGrams: product.weightGrams, category: product.category },
      ],
      destination: { country: ADDRESS.country, postalCode: ADDRESS.postalCode },
    },
  })
}

/** 3. Sign up (once), sign in, read and edit the profile. */
export const account: Journey = async (visitor, pause) => {
  const { browser } = visitor
  if (visitor.signedIn && Math.random() < 0.3) {
    await browser.send({ route: 'POST /api/auth/signout', path: '/api/auth/signout', expect: [200, 204] })
    browser.forgetSession()
    visitor.signedIn = false
    await pause()
  }
  await ensureSignedIn(visitor)
  await browser.send({ route: 'GET /api/session', path: '/api/session' })
  await pause()
  await browser.send({ route: 'GET /api/profile', path: '/api/profile' })
  await pause()
  await browser.send({
    route: 'PUT /api/profile',
    path: '/api/profile',
    body: { firstName: pick(['Ada', 'Grace', 'Linus', 'Barbara', 'Ken']) },
  })
}

/** 4. Add to the cart, change a quantity, see the quote, place the order, see it in the history. */
export const checkout: Journey = async (visitor, pause) => {
  const { browser, products } = visitor
  await ensureSignedIn(visitor)
  const chosen = [pick(products), pick(products)]
  for (const product of chosen) {
    await browser.send({
      route: 'PUT /api/cart/items/:productId',
      path: `/api/cart/items/${product.id}`,
      body: { quantity: 1 },
    })
    await pause()
  }
  await browser.send({
    route: 'PUT /api/cart/items/:productId',
    path: `/api/cart/items/${chosen[0]!.id}`,
    body: { quantity: 2 },
  })
  await browser.send({ route: 'GET /api/cart', path: '/api/cart' })
  await pause()
  await browser.send({ route: 'GET /api/cart/quote', path: '/api/cart/quote?shippingMethod=standard' })
  await pause()
  const placed = await browser.send<{ shortages?: { productId: string }[] }>({
    route: 'POST /api/orders',
    path: '/api/orders',
    body: { shippingMethod: pick(['standard', 'standard', 'express', 'overnight']) },
    headers: { 'idempotency-key': `loadgen-${randomUUID()}` },
    // Sold out is an answer the shop is right to give; the visitor takes the product out and moves on.
    expect: [201, 409],
  })
  if (placed.status === 409) {
    for (const { productId } of placed.body.shortages ?? [])
      await browser.send({ route: 'DELETE /api/cart/items/:productId', path: `/api/cart/items/${productId}` })
    return
  }
  await pause()
  await browser.send({ route: 'GET /api/orders', path: '/api/orders' })
}

/** 5. Shipping methods and policy. */
export const shippingInfo: Journey = async ({ browser }, pause) => {
  await browser.send({ route: 'GET /api/shipping/methods', path: '/api/shipping/methods' })
  await pause()
  await browser.send({ route: 'GET /api/shipping/policy', path: '/api/shipping/policy' })
}

/** 6. Read the support page; now and then open a ticket, and see it listed. */
export const support: Journey = async (visitor, pause) => {
  const { browser } = visitor
  await browser.send({ route: 'GET /api/support/info', path: '/api/support/info' })
  if (Math.random() < 0.6) return
  await pause()
  await browser.send({
    route: 'POST /api/tickets',
    path: '/api/tickets',
    body: {
      name: 'Load Generator',
      email: visitor.account?.email ?? `guest-${visitor.serial}@example.com`,
      subject: 'Where is my parcel?',
      message: 'Generated by the load generator to exercise the support desk.',
    },
    // The desk limits tickets per person and per address; virtual visitors write far more than people
    // do, so being asked to wait is a right answer here, not an error.
    expect: [201, 429],
  })
  if (visitor.signedIn) {
    await pause()
    await browser.send({ route: 'GET /api/tickets', path: '/api/tickets' })
  }
}

/** Browsing most, buying least, as in a real shop. */
export const JOURNEYS: { name: string; weight: number; run: Journey }[] = [
  { name: 'browse', weight: 40, run: browse },
  { name: 'product', weight: 25, run: viewProduct },
  { name: 'account', weight: 8, run: account },
  { name: 'checkout', weight: 12, run: checkout },
  { name: 'shipping', weight: 8, run: shippingInfo },
  { name: 'support', weight: 7, run: support },
]

export function pickJourney(): (typeof JOURNEYS)[number] {
  let ticket = Math.random() * JOURNEYS.reduce((sum, journey) => sum + journey.weight, 0)
  for (const journey of JOURNEYS) {
    ticket -= journey.weight
    if (ticket < 0) return journey
  }
  return JOURNEYS[0]!
}

async function ensureSignedIn(visitor: Visitor): Promise<void> {
  if (visitor.signedIn) return
  const { browser } = visitor
  if (!visitor.account) {
    visitor.account = { email: `loadgen-${visitor.serial}@example.com`, password: `pw-${randomUUID()}` }
    await browser.send({
      route: 'POST /api/auth/signup',
      path: '/api/auth/signup',
      body: { ...visitor.account, firstName: 'Load', lastName: 'Generator', address: ADDRESS },
      expect: [201],
    })
  } else {
    await browser.send({ route: 'POST /api/auth/signin', path: '/api/auth/signin', body: visitor.account })
  }
  visitor.signedIn = true
}
