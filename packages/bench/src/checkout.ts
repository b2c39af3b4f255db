import { randomUUID } from 'node:crypto'
import { products } from '@shop/catalog-data'
import type autocannon from 'autocannon'
import { MongoClient } from 'mongodb'
// product-inventory's own ledger: the way its tests restock, since no route offers it (by design).
import { StockLedger } from '../../../apps/product-inventory/src/domain/stock-ledger.js'
import { MongoLedger } from '../../../apps/product-inventory/src/store/mongo-ledger.js'

/** Units added to every product before the checkout rounds: far more than a run can order. */
const BENCH_STOCK = 1_000_000

const ADDRESS = { line1: '1 Bench Street', city: 'Loadville', postalCode: '10001', country: 'US' }

/** Signs up one shopper per connection, straight at profile-management (argon2id: a few a second). */
export async function signUpShoppers(profileUrl: string, count: number): Promise<string[]> {
  const tokens: string[] = []
  for (let index = 0; index < count; index++) {
    const response = await fetch(`${profileUrl}/api/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: `bench-${randomUUID()}@example.com`,
        password: 'bench-password',
        firstName: 'Bench',
        lastName: `Shopper ${index}`,
        address: ADDRESS,
      }),
    })
    const body = (await response.json()) as { token?: string }
    if (response.status !== 201 || !body.token)
      throw new Error(`sign-up answered ${response.status}: ${JSON.stringify(body)}`)
    tokens.push(body.token)
  }
  return tokens
}

/**
 * Restocks every product in the bench's own product-inventory database, so that checkout is measured
 * with stock for the whole run rather than ending in sold-outs (the seeded stock lasts seconds). The
 * running app finds the new entries as another instance's: its ledger reads forward from what it saw.
 */
export async function stockUp(uri: string, database: string): Promise<void> {
  const client = await MongoClient.connect(uri)
  try {
    const ledger = new StockLedger(new MongoLedger(client.db(database)))
    for (const product of products) await ledger.restock(product.id, BENCH_STOCK)
  } finally {
    await client.close()
  }
}

/**
 * One order per pass, as the page places it: put one product in the cart, then place the order with a
 * fresh Idempotency-Key. The products rotate, so every product's ledger takes its share of the load.
 * Every shopper gets a connection (and an autocannon instance) of their own: carts are per person.
 */
export function checkoutRequests(token: string, placed: { count: number }): autocannon.Request[] {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` }
  return [
    {
      method: 'PUT',
      headers,
      body: JSON.stringify({ quantity: 1 }),
      setupRequest: (request) => ({
        ...request,
        path: `/api/cart/items/${products[nextProduct++ % products.length]!.id}`,
      }),
    },
    {
      method: 'POST',
      path: '/api/orders',
      body: JSON.stringify({ shippingMethod: 'standard', address: ADDRESS }),
      setupRequest: (request) => ({
        ...request,
        headers: { ...headers, 'idempotency-key': `bench-${randomUUID()}` },
      }),
      onResponse: (status) => {
        if (status === 201) placed.count++
      },
    },
  ]
}

let nextProduct = 0
