import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { products } from '@shop/catalog-data'
import { testDatabase, type TestDatabase, type StartedApp } from '@shop/test-support'
import { StockLedger } from '../src/domain/stock-ledger.js'
import { MongoLedger } from '../src/store/mongo-ledger.js'
import {
  available,
  call,
  heldByOrder,
  ledgerOf,
  ledgerProblems,
  release,
  reserve,
  startInventory,
  type Reservation,
} from './helpers.js'

function initialStock(productId: string): number {
  return products.find((product) => product.id === productId)!.initialStock
}

/*
 * Two instances share the database and the requests alternate between them: within one instance,
 * appends to a product queue up, so it is across instances that the unique index settles the races.
 * Their reservation timeout is generous: these tests are about races, and on a loaded machine a burst
 * can outlast the default (crash-recovery.test.ts covers what the timeout does).
 */
describe('product-inventory under concurrency', () => {
  let app: StartedApp
  let other: StartedApp
  let database: TestDatabase
  const either = (i: number) => (i % 2 ? other : app)

  beforeAll(async () => {
    database = await testDatabase('inventory_race')
    const env = { ...database.env, RESERVATION_TIMEOUT_MS: '120000' }
    ;[app, other] = await Promise.all([startInventory(env), startInventory(env)])
  })

  afterAll(async () => {
    await Promise.all([app?.stop(), other?.stop()])
    await database?.drop()
  })

  it('the ledger never oversells when appends race with nothing but the unique index between them', async () => {
    // Four ledgers over the same collection, as four instances would have: no shared queue or cache.
    const productId = 'vinyl-turntable'
    const ledgers = Array.from({ length: 4 }, () => new StockLedger(new MongoLedger(database.db)))
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        ledgers[i % ledgers.length]!.take(
          `reserve:store-race-${i}:${productId}`,
          productId,
          1,
          `store-race-${i}`,
        ),
      ),
    )
    expect(results.filter((result) => result.outcome === 'taken')).toHaveLength(initialStock(productId))
    expect(results.filter((result) => result.outcome === 'short')).toHaveLength(40 - initialStock(productId))
    const gives = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        ledgers[i % ledgers.length]!.give(
          `release:store-race-${i % 3}:${productId}`,
          productId,
          1,
          'release',
        ),
      ),
    )
    expect(new Set(gives.map((movement) => movement.seq)).size).toBe(3)
    const ledger = await ledgerOf(app, productId)
    expect(ledgerProblems(ledger)).toEqual([])
    expect(ledger.at(-1)!.availableAfter).toBe(3)
  })

  it('200 reservations of one unit against a stock of 10: exactly 10 succeed, the rest are told what is short', async ({
    annotate,
  }) => {
    // A fresh database starts every product at its catalog initial stock; this one starts at 10.
    const product = products.find((candidate) => candidate.initialStock === 10)!
    expect(await available(app, product.id)).toBe(10)

    const started = Date.now()
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        reserve(either(i), `race-${i}`, [{ productId: product.id, quantity: 1 }]).then((answer) => ({
          orderId: `race-${i}`,
          ...answer,
        })),
      ),
    )
    const elapsedMs = Date.now() - started

    const reserved = answers.filter((answer) => answer.status === 201)
    const refused = answers.filter((answer) => answer.status === 409)
    expect(reserved).toHaveLength(10)
    expect(refused).toHaveLength(190)
    for (const answer of refused) {
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/)
      expect(answer.body).toMatchObject({
        type: 'urn:shop:problem:insufficient-stock',
        shortages: [{ productId: product.id, requested: 1, available: 0 }],
      })
    }
    expect(await available(app, product.id)).toBe(0)

    const ledger = await ledgerOf(app, product.id)
    expect(ledgerProblems(ledger)).toEqual([])
    expect(ledger).toHaveLength(11)
    expect(ledger.reduce((sum, entry) => sum + entry.change, 0)).toBe(0)
    expect([...heldByOrder(ledger).keys()].sort()).toEqual(reserved.map((answer) => answer.orderId).sort())
    for (const { orderId } of reserved.slice(0, 3))
      expect((await call<Reservation>(app, 'GET', `/api/reservations/${orderId}`)).body.status).toBe(
        'reserved',
      )
    await annotate(`200 concurrent reservations settled in ${elapsedMs} ms: 10 x 201, 190 x 409`)
  })

  it('restocking (through the store layer: no public route) makes stock reservable again, still without overselling', async () => {
    const product = products.find((candidate) => candidate.initialStock === 10)!
    const ledger = new StockLedger(new MongoLedger(database.db))
    const restocked = await ledger.restock(product.id, 3)
    expect(restocked).toMatchObject({ reason: 'restock', change: 3, availableAfter: 3 })

    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        reserve(either(i), `after-restock-${i}`, [{ productId: product.id, quantity: 1 }]),
      ),
    )
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(3)
    expect(answers.filter((answer) => answer.status === 409)).toHaveLength(5)
    expect(await available(app, product.id)).toBe(0)
    expect(ledgerProblems(await ledgerOf(app, product.id))).toEqual([])
  })

  it('multi-line reservations competing for a scarce product: all lines or none, whatever the line order', async ({
    annotate,
  }) => {
    // speed-... comes first in product id order, so refused orders take it and give it back; it has
    // enough for every order, so only the scarce product can be short.
    const plenty = 'speed-jump-rope'
    const scarce = 'studio-monitor-pair'
    const orders = Array.from({ length: 60 }, (_, i) => `multi-${i}`)
    expect(initialStock(plenty)).toBeGreaterThanOrEqual(orders.length)
    const started = Date.now()
    const answers = await Promise.all(
      orders.map((orderId, i) => {
        const lines = [
          { productId: plenty, quantity: 1 },
          { productId: scarce, quantity: 1 },
        ]
        return reserve(either(i), orderId, i % 2 ? lines : lines.reverse()).then((answer) => ({
          orderId,
          ...answer,
        }))
      }),
    )
    const elapsedMs = Date.now() - started
    const reserved = answers.filter((answer) => answer.status === 201).map((answer) => answer.orderId)
    expect(reserved).toHaveLength(initialStock(scarce))
    for (const answer of answers.filter((candidate) => candidate.status !== 201)) {
      expect(answer.status).toBe(409)
      expect(answer.body.shortages).toEqual([{ productId: scarce, requested: 1, available: 0 }])
    }

    expect(await available(app, scarce)).toBe(0)
    expect(await available(app, plenty)).toBe(initialStock(plenty) - reserved.length)
    for (const productId of [plenty, scarce]) {
      const ledger = await ledgerOf(app, productId)
      expect(ledgerProblems(ledger), productId).toEqual([])
      expect([...heldByOrder(ledger).keys()].sort(), productId).toEqual([...reserved].sort())
    }
    await annotate(`60 concurrent two-line reservations settled in ${elapsedMs} ms`)
  })

  it('releases racing their reservations never leave stock held', async () => {
    const lines = [
      { productId: 'insulated-water-bottle', quantity: 1 },
      { productId: 'commuter-earbuds', quantity: 2 },
    ]
    const orders = Array.from({ length: 25 }, (_, i) => `raced-${i}`)
    const answers = await Promise.all(
      orders.map(async (orderId, i) => {
        // Half the pairs send the release first; each pair's two requests go to different instances.
        const releasing = i % 2 ? release(either(i), orderId) : undefined
        const reserving = reserve(either(i + 1), orderId, lines)
        return Promise.all([reserving, releasing ?? release(either(i), orderId)])
      }),
    )
    for (const [reserved, released] of answers) {
      expect([201, 409]).toContain(reserved.status)
      if (reserved.status === 409) expect(reserved.body.type).toBe('urn:shop:problem:reservation-released')
      expect(released.status).toBe(200)
      expect(released.body.status).toBe('released')
    }
    for (const orderId of orders) {
      const found = await call<Reservation>(app, 'GET', `/api/reservations/${orderId}`)
      expect(found.body.status, orderId).toBe('released')
      expect((await reserve(app, orderId, lines)).status, orderId).toBe(409)
    }
    for (const { productId } of lines) {
      expect(await available(app, productId), productId).toBe(initialStock(productId))
      const ledger = await ledgerOf(app, productId)
      expect(ledgerProblems(ledger), productId).toEqual([])
      expect(heldByOrder(ledger).size, productId).toBe(0)
    }
  })
})
