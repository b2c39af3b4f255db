import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startStack, type Stack } from '@shop/test-support'
import { newAccount, ShopClient } from './support/shop-client.js'

const PRODUCT = 'vinyl-turntable'
const BUYERS = 100
const ADDRESS = {
  line1: '1 Market St',
  city: 'San Francisco',
  region: 'CA',
  postalCode: '94103',
  country: 'US',
}

describe('a rush through the BFF for the last units', () => {
  let stack: Stack

  beforeAll(async () => {
    stack = await startStack({
      apps: [
        'product-catalog',
        'product-inventory',
        'profile-management',
        'shipping-and-handling',
        'contact-support-team',
        'order-management',
        'ecommerce-ui',
      ],
      env: {
        // A hundred sign-ins from one address, which the per-client limits would refuse.
        'profile-management': { AUTH_ATTEMPTS_PER_CLIENT_PER_MINUTE: '10000' },
        'ecommerce-ui': { AUTH_RATE_LIMIT_PER_MINUTE: '10000' },
      },
    })
  }, 120_000)
  afterAll(async () => {
    await stack?.stop()
  })

  const stock = async () => {
    const response = await fetch(`${stack.url('product-inventory')}/api/inventory/${PRODUCT}`)
    return ((await response.json()) as { available: number }).available
  }

  it(`${BUYERS} buyers for 5 units: 5 orders, a clean sold-out for the rest, no timeout, stock never negative`, async () => {
    expect(await stock()).toBe(5)
    const buyers: ShopClient[] = []
    for (let batch = 0; batch < BUYERS / 10; batch++)
      buyers.push(
        ...(await Promise.all(
          Array.from({ length: 10 }, async () => {
            const buyer = new ShopClient(stack.url('ecommerce-ui'))
            expect((await buyer.send('POST', '/api/auth/signup', { body: newAccount('rush') })).status).toBe(
              201,
            )
            const line = await buyer.send('PUT', `/api/cart/items/${PRODUCT}`, { body: { quantity: 1 } })
            expect(line.status, line.text).toBe(200)
            return buyer
          }),
        )),
      )

    let rushing = true
    const seen: number[] = []
    const watching = (async () => {
      while (rushing) {
        seen.push(await stock())
        await sleep(50)
      }
    })()
    const answers = await Promise.all(
      buyers.map((buyer, i) =>
        buyer.send('POST', '/api/orders', {
          body: { shippingMethod: 'standard', address: ADDRESS },
          headers: { 'idempotency-key': `rush-for-the-last-${i}` },
        }),
      ),
    )
    rushing = false
    await watching

    const statuses = answers.map((answer) => answer.status)
    expect(statuses.filter((status) => status === 504)).toEqual([])
    expect(statuses.filter((status) => status === 201)).toHaveLength(5)
    const refused = answers.filter((answer) => answer.status !== 201)
    expect(refused).toHaveLength(BUYERS - 5)
    for (const answer of refused) {
      expect(answer.status, answer.text).toBe(409)
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/)
      expect(answer.body).toMatchObject({ title: 'Insufficient stock', shortages: [{ productId: PRODUCT }] })
    }
    expect(Math.min(...seen)).toBeGreaterThanOrEqual(0)
    expect(await stock()).toBe(0)
    // Each placed order is in its buyer's history; the others' carts still hold the line.
    for (const [i, answer] of answers.entries()) {
      const history = await buyers[i]!.get<{ items: { id: string }[] }>('/api/orders')
      if (answer.status === 201) expect(history.body.items.map((order) => order.id)).toEqual([answer.body.id])
      else expect(history.body.items).toEqual([])
    }
  }, 180_000)
})
