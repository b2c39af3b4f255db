import { randomUUID } from 'node:crypto'
import type { Order } from '@shop/contracts'
import { mongoUri, startDatabaseFaultProxy, uniqueDatabaseName } from '@shop/test-support'
import type { FastifyBaseLogger } from 'fastify'
import { MongoClient, type Db } from 'mongodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listFirstVersionOrders } from '../src/store/history-migration.js'
import { OrderStore } from '../src/store/orders.js'
import { storedOrder } from './helpers.js'

const quietLog = { info: () => undefined } as unknown as FastifyBaseLogger

function anOrder(n: number): Order {
  const id = `ORD-T${randomUUID().slice(0, 8).toUpperCase()}`
  return storedOrder(id, `T${n}`, new Date(Date.UTC(2026, 0, 1) + n * 60_000))
}

/** Stores and lists an order as the saga does: slot, commit point, head. */
async function place(store: OrderStore, userId: string, order: Order): Promise<void> {
  const historySlot = await store.allocateSlot(userId, order.id)
  await store.commit({ userId, order, historySlot, orderedLines: [] })
  await store.addToHead(userId, historySlot, order)
}

async function allPages(store: OrderStore, userId: string, pageSize: number): Promise<string[]> {
  const ids: string[] = []
  for (let page = 1; ; page++) {
    const { items } = await store.listOwn(userId, page, pageSize)
    if (items.length === 0) return ids
    ids.push(...items.map((order) => order.id))
  }
}

describe('order history on FerretDB', () => {
  let client: MongoClient
  let db: Db

  beforeAll(async () => {
    client = await new MongoClient(await mongoUri()).connect()
    db = client.db(uniqueDatabaseName('order_history_test'))
  })
  afterAll(async () => {
    await db?.dropDatabase()
    await client?.close()
  })

  it('pages equal the placed orders newest first, with the head whole, stale or gone', async () => {
    const store = new OrderStore(db)
    const userId = randomUUID()
    const other = randomUUID()
    const placed = Array.from({ length: 45 }, (_, n) => anOrder(n))
    for (const order of placed) await place(store, userId, order)
    await place(store, other, anOrder(99))
    const newestFirst = placed.map((order) => order.id).reverse()

    const first = await store.listOwn(userId, 1, 20)
    expect(first.total).toBe(45)
    expect(first.items.map((order) => order.id)).toEqual(newestFirst.slice(0, 20))
    for (const pageSize of [7, 20, 45, 100])
      expect(await allPages(store, userId, pageSize)).toEqual(newestFirst)

    // A head written before the last five orders (their head writes lost), then no head at all:
    // a fresh instance (nothing remembered) still lists every order once, newest first.
    const heads = db.collection<{ _id: string }>('order_history_heads')
    const whole = await heads.findOne({ _id: userId })
    await heads.replaceOne({ _id: userId }, { slot: 40, entries: [] })
    expect(await allPages(new OrderStore(db), userId, 20)).toEqual(newestFirst)
    await heads.deleteOne({ _id: userId })
    expect(await allPages(new OrderStore(db), userId, 20)).toEqual(newestFirst)
    // Page 1 wrote the head back as it was.
    expect(await heads.findOne({ _id: userId })).toEqual(whole)
    expect((await store.listOwn(other, 1, 20)).items.map((order) => order.id)).toHaveLength(1)
  })

  it('a first page is two reads by _id, the head and one slot, whatever the number of orders: never a scan of orders', async () => {
    // On FerretDB only a lookup by _id is pushed down to SQLite (and, with the shop's patch, searched
    // in the index); any other query reads the whole collection, so the page's cost would grow with
    // every order the shop stores. Counted at the wire, through the database fault proxy.
    const proxy = await startDatabaseFaultProxy(await mongoUri())
    const viaProxy = await new MongoClient(proxy.uri).connect()
    try {
      const store = new OrderStore(db)
      const userId = randomUUID()
      for (const order of Array.from({ length: 30 }, (_, n) => anOrder(n))) await place(store, userId, order)
      const counted = new OrderStore(viaProxy.db(db.databaseName))
      proxy.seen.splice(0)
      const { items, total } = await counted.listOwn(userId, 1, 20)
      expect(total).toBe(30)
      expect(items).toHaveLength(20)
      expect(proxy.seen).toEqual(['find order_history_heads', 'find order_history'])
    } finally {
      await viaProxy.close()
      await proxy.close()
    }
  })

  it('lists once each of many orders one user places at once through two instances', async () => {
    const instances = [new OrderStore(db), new OrderStore(db)]
    const userId = randomUUID()
    const first = anOrder(0)
    await place(instances[0]!, userId, first)
    const placed = Array.from({ length: 12 }, (_, n) => anOrder(n + 1))
    await Promise.all(placed.map((order, n) => place(instances[n % 2]!, userId, order)))

    const listed = await allPages(new OrderStore(db), userId, 5)
    expect(listed).toHaveLength(13)
    expect(listed.at(-1)).toBe(first.id)
    expect(new Set(listed)).toEqual(new Set([first.id, ...placed.map((order) => order.id)]))
    const { items, total } = await instances[1]!.listOwn(userId, 1, 20)
    expect(total).toBe(13)
    expect(items.map((order) => order.id)).toEqual(listed)
  })

  it('lists the orders the first version stored, oldest last, once, with two instances migrating at once', async () => {
    const userId = randomUUID()
    const orders = Array.from({ length: 6 }, (_, n) => anOrder(n))
    // The first version's document: the order with its user, no outcome, no history slot.
    await db
      .collection('orders')
      .insertMany(orders.map(({ id, ...fields }) => ({ _id: id as never, userId, ...fields })))
    await Promise.all([
      listFirstVersionOrders(db, new OrderStore(db), quietLog),
      listFirstVersionOrders(db, new OrderStore(db), quietLog),
    ])
    const store = new OrderStore(db)
    const newestFirst = orders.map((order) => order.id).reverse()
    expect(await allPages(store, userId, 4)).toEqual(newestFirst)
    expect((await store.findOwn(userId, orders[0]!.id))?.trackingNumber).toBe('T0')

    // A later start-up finds nothing left to list; an order placed since is listed first.
    await listFirstVersionOrders(db, store, quietLog)
    const later = anOrder(50)
    await place(store, userId, later)
    expect(await allPages(new OrderStore(db), userId, 20)).toEqual([later.id, ...newestFirst])
  })
})
