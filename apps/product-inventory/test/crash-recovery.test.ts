import { afterEach, describe, expect, it } from 'vitest'
import { products } from '@shop/catalog-data'
import { testDatabase } from '@shop/test-support'
import { takeKey } from '../src/domain/reservations.js'
import { StockLedger } from '../src/domain/stock-ledger.js'
import { MongoLedger } from '../src/store/mongo-ledger.js'
import { MongoReservationRecords } from '../src/store/mongo-reservations.js'
import {
  available,
  call,
  heldByOrder,
  ledgerOf,
  ledgerProblems,
  reserve,
  startInventory,
  waitFor,
  type Reservation,
} from './helpers.js'

/** Short enough for a test to see the sweeper act, long enough for a loaded machine's requests. */
const FAST_SWEEPS = { RESERVATION_TIMEOUT_MS: '2000', RESERVATION_SWEEP_INTERVAL_MS: '200' }

function initialStock(productId: string): number {
  return products.find((product) => product.id === productId)!.initialStock
}

describe('product-inventory after a crash', () => {
  const cleanups: (() => Promise<unknown>)[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })

  async function setUp(prefix: string) {
    const database = await testDatabase(prefix)
    cleanups.push(() => database.drop())
    const env = { ...database.env, ...FAST_SWEEPS }
    const start = async () => {
      const app = await startInventory(env)
      cleanups.push(() => app.stop())
      return app
    }
    const work = database.db.collection('reservation_work')
    const swept = () =>
      waitFor(async () => (await work.countDocuments()) === 0, 'the sweeper to settle every order')
    return { database, start, swept }
  }

  it('gives back what requests that died half-way took, and keeps those order ids refused', async () => {
    const { database, start, swept } = await setUp('inventory_crash')
    const app = await start()
    const ledger = new StockLedger(new MongoLedger(database.db))
    const records = new MongoReservationRecords(database.db)

    // A reservation that died right after claiming its order: a repeat waits for it, then gives up.
    const vest = [{ productId: 'trail-running-vest', quantity: 1 }]
    await records.claim({ orderId: 'died-claiming', items: vest, createdAt: new Date() })
    const waited = await reserve(app, 'died-claiming', vest)
    expect(waited.status).toBe(409)
    expect(waited.body.type).toBe('urn:shop:problem:reservation-in-progress')

    // A reservation that died after taking its first line: the steps the service takes, then nothing.
    const items = [
      { productId: 'gps-sport-watch', quantity: 2 },
      { productId: 'trail-running-vest', quantity: 1 },
    ]
    await records.openWork('died-taking', new Date())
    await records.claim({ orderId: 'died-taking', items, createdAt: new Date() })
    await ledger.take(takeKey('died-taking', 'gps-sport-watch'), 'gps-sport-watch', 2, 'died-taking')

    // A release that died after recording itself, before giving anything back.
    const held = await reserve(app, 'died-releasing', [{ productId: 'trail-running-vest', quantity: 3 }])
    expect(held.status).toBe(201)
    await records.openWork('died-releasing', new Date())
    await records.recordRelease({ orderId: 'died-releasing', releasedAt: new Date() })

    expect(await available(app, 'gps-sport-watch')).toBe(initialStock('gps-sport-watch') - 2)
    expect(await available(app, 'trail-running-vest')).toBe(initialStock('trail-running-vest') - 3)
    await swept()

    for (const { productId } of items) {
      expect(await available(app, productId), productId).toBe(initialStock(productId))
      const entries = await ledgerOf(app, productId)
      expect(ledgerProblems(entries), productId).toEqual([])
      expect(heldByOrder(entries).size, productId).toBe(0)
    }
    const retried = await reserve(app, 'died-taking', items)
    expect(retried.status).toBe(409)
    expect(retried.body.type).toBe('urn:shop:problem:reservation-abandoned')
    expect((await call(app, 'GET', '/api/reservations/died-taking')).status).toBe(404)
    // The claim that never took anything is old enough now to be decided abandoned by the next request.
    const late = await reserve(app, 'died-claiming', vest)
    expect(late.status).toBe(409)
    expect(late.body.type).toBe('urn:shop:problem:reservation-abandoned')
    const released = await call<Reservation>(app, 'GET', '/api/reservations/died-releasing')
    expect(released.body).toMatchObject({
      status: 'released',
      items: [{ productId: 'trail-running-vest', quantity: 3 }],
    })
  })

  it('a process killed in the middle of many reservations leaves every order holding all its lines or none', async ({
    annotate,
  }) => {
    const { database, start, swept } = await setUp('inventory_kill')
    const lines = [
      { productId: 'commuter-earbuds', quantity: 1 },
      { productId: 'portable-ssd-1tb', quantity: 1 },
      { productId: 'insulated-water-bottle', quantity: 1 },
    ]
    const orders = Array.from({ length: 60 }, (_, i) => `killed-${i}`)

    const first = await start()
    let answered = 0
    const pending = orders.map((orderId) =>
      reserve(first, orderId, lines).then(
        () => answered++,
        () => undefined,
      ),
    )
    await waitFor(async () => answered > 0, 'a first answer', 20_000)
    await first.stop('SIGKILL')
    await Promise.all(pending)

    const second = await start()
    await swept()

    const reserved: string[] = []
    for (const orderId of orders) {
      const found = await call<Reservation>(second, 'GET', `/api/reservations/${orderId}`)
      expect([200, 404]).toContain(found.status)
      if (found.status === 200) reserved.push(orderId)
    }
    for (const { productId } of lines) {
      const entries = await ledgerOf(second, productId)
      expect(ledgerProblems(entries), productId).toEqual([])
      expect([...heldByOrder(entries).keys()].sort(), productId).toEqual([...reserved].sort())
      expect(await available(second, productId), productId).toBe(initialStock(productId) - reserved.length)
    }
    // Asking again settles the rest: a claim whose taker died before taking is decided abandoned.
    for (const orderId of orders) {
      const again = await reserve(second, orderId, lines)
      if (again.status === 409)
        expect(again.body.type, orderId).toBe('urn:shop:problem:reservation-abandoned')
      else expect(again.status, orderId).toBe(reserved.includes(orderId) ? 200 : 201)
      if (again.status === 201) reserved.push(orderId)
    }
    let givenBack = 0
    for (const { productId } of lines) {
      const entries = await ledgerOf(second, productId)
      expect(ledgerProblems(entries), productId).toEqual([])
      expect([...heldByOrder(entries).keys()].sort(), productId).toEqual([...reserved].sort())
      givenBack += entries.filter((entry) => entry.reason === 'release').length
    }

    const abandoned = await database.db
      .collection('reservation_decisions')
      .countDocuments({ reason: 'abandoned' })
    await annotate(
      `${answered} answered before the kill; in the end ${reserved.length} reserved, ${abandoned} abandoned, ` +
        `${givenBack} takes given back`,
    )
  })
})
