import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { products } from '@shop/catalog-data'
import { testDatabase, type TestDatabase, type StartedApp } from '@shop/test-support'
import {
  available,
  call,
  heldByOrder,
  ledgerOf,
  ledgerProblems,
  release,
  reserve,
  startInventory,
  stockSnapshot,
  type Problem,
  type Reservation,
} from './helpers.js'

function initialStock(productId: string): number {
  const product = products.find((candidate) => candidate.id === productId)
  if (!product) throw new Error(`no catalog product ${productId}`)
  return product.initialStock
}

describe('product-inventory: reservations', () => {
  let app: StartedApp
  let database: TestDatabase

  beforeAll(async () => {
    database = await testDatabase('reservations')
    app = await startInventory(database.env)
  })

  afterAll(async () => {
    await app?.stop()
    await database?.drop()
  })

  it('reserves every line at once, and a repeat answers the same reservation and takes nothing', async () => {
    const items = [
      { productId: 'pebble-bluetooth-speaker', quantity: 2 },
      { productId: 'commuter-earbuds', quantity: 3 },
    ]
    const created = await reserve(app, 'order-all-lines', items)
    expect(created.status).toBe(201)
    expect(created.body).toEqual<Reservation>({
      orderId: 'order-all-lines',
      status: 'reserved',
      items,
      createdAt: expect.any(String),
    })
    expect(await available(app, 'pebble-bluetooth-speaker')).toBe(
      initialStock('pebble-bluetooth-speaker') - 2,
    )
    expect(await available(app, 'commuter-earbuds')).toBe(initialStock('commuter-earbuds') - 3)

    const found = await call<Reservation>(app, 'GET', '/api/reservations/order-all-lines')
    expect(found).toMatchObject({ status: 200, body: created.body })
    const repeated = await reserve(app, 'order-all-lines', [...items].reverse())
    expect(repeated).toMatchObject({ status: 200, body: created.body })
    expect(await available(app, 'pebble-bluetooth-speaker')).toBe(
      initialStock('pebble-bluetooth-speaker') - 2,
    )
    expect(await available(app, 'commuter-earbuds')).toBe(initialStock('commuter-earbuds') - 3)
  })

  it('takes nothing when the second line is short, and names every short product', async () => {
    // Lines are taken in product id order: aurora-... first, so it is taken and then given back.
    const plenty = 'aurora-wireless-headphones'
    const scarce = 'designing-data-systems'
    const items = [
      { productId: scarce, quantity: initialStock(scarce) + 1 },
      { productId: plenty, quantity: 1 },
      { productId: 'no-such-product', quantity: 1 },
    ]
    const refused = await reserve(app, 'order-short', items)
    expect(refused.status).toBe(409)
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    expect(refused.body).toMatchObject({ type: 'urn:shop:problem:insufficient-stock', status: 409 })
    expect(refused.body.shortages).toEqual([
      { productId: scarce, requested: initialStock(scarce) + 1, available: initialStock(scarce) },
      { productId: 'no-such-product', requested: 1, available: 0 },
    ])

    expect(await available(app, plenty)).toBe(initialStock(plenty))
    expect(await available(app, scarce)).toBe(initialStock(scarce))
    const ledger = await ledgerOf(app, plenty)
    expect(ledgerProblems(ledger)).toEqual([])
    expect(ledger.map(({ reason, change, orderId }) => ({ reason, change, orderId }))).toEqual([
      { reason: 'initial', change: initialStock(plenty), orderId: undefined },
      { reason: 'reservation', change: -1, orderId: 'order-short' },
      { reason: 'release', change: 1, orderId: 'order-short' },
    ])
    expect((await ledgerOf(app, scarce)).map((entry) => entry.reason)).toEqual(['initial'])
    expect((await call(app, 'GET', '/api/reservations/order-short')).status).toBe(404)

    // The order id is decided: asking again answers the same refusal and still takes nothing.
    const again = await reserve(app, 'order-short', items)
    expect(again).toMatchObject({ status: 409, body: { shortages: refused.body.shortages } })
    expect(await available(app, plenty)).toBe(initialStock(plenty))
  })

  it('is idempotent by order id, also when the same request arrives five times at once', async () => {
    const productId = 'cork-yoga-mat'
    const items = [{ productId, quantity: 2 }]

    const oneByOne = []
    for (let i = 0; i < 5; i++) oneByOne.push(await reserve(app, 'order-repeated', items))
    expect(oneByOne.map((answer) => answer.status)).toEqual([201, 200, 200, 200, 200])
    for (const answer of oneByOne) expect(answer.body).toEqual(oneByOne[0]!.body)

    const atOnce = await Promise.all(Array.from({ length: 5 }, () => reserve(app, 'order-at-once', items)))
    expect(atOnce.map((answer) => answer.status).sort()).toEqual([200, 200, 200, 200, 201])
    for (const answer of atOnce)
      expect(answer.body).toEqual({
        ...oneByOne[0]!.body,
        orderId: 'order-at-once',
        createdAt: expect.any(String),
      })
    expect(new Set(atOnce.map((answer) => answer.body.createdAt)).size).toBe(1)

    const otherItems = await reserve(app, 'order-at-once', [{ productId, quantity: 3 }])
    expect(otherItems.status).toBe(409)
    expect(otherItems.body.type).toBe('urn:shop:problem:reservation-conflict')

    expect(await available(app, productId)).toBe(initialStock(productId) - 4)
    const ledger = await ledgerOf(app, productId)
    expect(ledgerProblems(ledger)).toEqual([])
    expect(Object.fromEntries(heldByOrder(ledger))).toEqual({ 'order-repeated': 2, 'order-at-once': 2 })
  })

  it('releases once: a repeat answers the same released reservation, and the order cannot reserve again', async () => {
    const productId = 'foam-roller'
    const created = await reserve(app, 'order-released', [{ productId, quantity: 4 }])
    expect(created.status).toBe(201)
    expect(await available(app, productId)).toBe(initialStock(productId) - 4)

    const first = await release(app, 'order-released')
    expect(first.status).toBe(200)
    expect(first.body).toEqual({
      ...created.body,
      status: 'released',
      releasedAt: expect.any(String),
    })
    const second = await release(app, 'order-released')
    expect(second).toMatchObject({ status: 200, body: first.body })
    expect(await call(app, 'GET', '/api/reservations/order-released')).toMatchObject({
      status: 200,
      body: first.body,
    })
    expect(await available(app, productId)).toBe(initialStock(productId))

    const reserveAgain = await reserve(app, 'order-released', [{ productId, quantity: 4 }])
    expect(reserveAgain.status).toBe(409)
    expect(reserveAgain.body.type).toBe('urn:shop:problem:reservation-released')
    expect(await available(app, productId)).toBe(initialStock(productId))
    const ledger = await ledgerOf(app, productId)
    expect(ledgerProblems(ledger)).toEqual([])
    expect(ledger.filter((entry) => entry.orderId === 'order-released').map((entry) => entry.change)).toEqual(
      [-4, 4],
    )
  })

  it('records a release that arrives before its reservation, and refuses the late reservation', async () => {
    const productId = 'headlamp-400'
    const early = await release(app, 'order-late')
    expect(early.status).toBe(200)
    expect(early.body).toEqual<Reservation>({
      orderId: 'order-late',
      status: 'released',
      items: [],
      createdAt: expect.any(String),
      releasedAt: expect.any(String),
    })

    const late = await reserve(app, 'order-late', [{ productId, quantity: 1 }])
    expect(late.status).toBe(409)
    expect(late.body.type).toBe('urn:shop:problem:reservation-released')
    expect(await available(app, productId)).toBe(initialStock(productId))
    expect((await ledgerOf(app, productId)).map((entry) => entry.reason)).toEqual(['initial'])
    expect(await call(app, 'GET', '/api/reservations/order-late')).toMatchObject({
      status: 200,
      body: early.body,
    })
    expect(await release(app, 'order-late')).toMatchObject({ status: 200, body: early.body })
  })

  it('answers bad input with 400 problems and changes nothing', async () => {
    const productId = 'cast-iron-skillet'
    const line = { productId, quantity: 1 }
    const before = await stockSnapshot(app)
    const bodies: [string, unknown][] = [
      ['empty body', {}],
      ['missing items', { orderId: 'bad-1' }],
      ['no items', { orderId: 'bad-2', items: [] }],
      ['quantity 0', { orderId: 'bad-3', items: [{ productId, quantity: 0 }] }],
      ['fractional quantity', { orderId: 'bad-4', items: [{ productId, quantity: 1.5 }] }],
      ['quantity too large', { orderId: 'bad-5', items: [{ productId, quantity: 1001 }] }],
      ['bad product id', { orderId: 'bad-6', items: [{ productId: 'Not A Slug', quantity: 1 }] }],
      ['bad order id', { orderId: 'has space', items: [line] }],
      ['missing order id', { items: [line] }],
      ['extra field', { orderId: 'bad-7', items: [line], note: 'hi' }],
      ['extra field in a line', { orderId: 'bad-8', items: [{ ...line, price: 100 }] }],
      ['a product twice', { orderId: 'bad-9', items: [line, { productId, quantity: 2 }] }],
      ['not JSON', '{"orderId": "bad-10", "items": ['],
    ]
    for (const [what, body] of bodies) {
      const answer = await call<Problem>(app, 'POST', '/api/reservations', body)
      expect(answer.status, what).toBe(400)
      expect(answer.headers.get('content-type'), what).toMatch(/^application\/problem\+json/)
      expect(answer.body, what).toMatchObject({ status: 400, requestId: expect.any(String) })
    }
    for (const method of ['GET', 'DELETE'] as const) {
      const answer = await call<Problem>(app, method, '/api/reservations/not%20an%20id')
      expect(answer.status, method).toBe(400)
    }

    expect(await stockSnapshot(app)).toEqual(before)
    for (let i = 1; i <= 10; i++)
      expect((await call(app, 'GET', `/api/reservations/bad-${i}`)).status, `bad-${i}`).toBe(404)
    expect((await ledgerOf(app, productId)).map((entry) => entry.reason)).toEqual(['initial'])
    // ... and none of those order ids is used up.
    expect((await reserve(app, 'bad-9', [line])).status).toBe(201)
  })
})
