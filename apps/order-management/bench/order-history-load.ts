/**
 * Order history and checkout under load, with 2,000+ orders stored: 20 users for DURATION_S seconds,
 * each listing its orders and now and then placing one, every call with the BFF's old 3 s upstream
 * timeout. Prints counts (timeouts must be 0) and latencies as ratios to GET /healthz measured in the
 * same run at the same concurrency. Run after `npx turbo run build`:
 *
 *   npx tsx apps/order-management/bench/order-history-load.ts
 */
import { randomUUID } from 'node:crypto'
import { pathToFileURL } from 'node:url'
import { resolve } from 'node:path'
import {
  mongoUri,
  repoRoot,
  startApp,
  startStack,
  stopAllProcesses,
  uniqueDatabaseName,
} from '@shop/test-support'
import { MongoClient } from 'mongodb'
import { ADDRESS, storedOrder } from '../test/helpers.js'

const USERS = 20
const STORED_ORDERS = Number(process.env.STORED_ORDERS ?? 2_000)
const DURATION_S = Number(process.env.DURATION_S ?? 20)
const CALL_TIMEOUT_MS = 3_000

interface Tally {
  latencies: number[]
  timeouts: number
  errors: number
}
const tally = (): Tally => ({ latencies: [], timeouts: 0, errors: 0 })

async function timed(into: Tally, url: string, init: RequestInit = {}): Promise<Response | undefined> {
  const started = performance.now()
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(CALL_TIMEOUT_MS) })
    await response.arrayBuffer()
    into.latencies.push(performance.now() - started)
    if (response.status >= 500) into.errors++
    return response
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') into.timeouts++
    else into.errors++
    return undefined
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN
}

/** This build's OrderStore, or an older one that stored an order with one insert. */
interface SomeOrderStore {
  setUp?(): Promise<void>
  insert?(userId: string, order: object): Promise<void>
  allocateSlot?(userId: string, orderId: string): Promise<number>
  commit?(record: object): Promise<unknown>
  addToHead?(userId: string, historySlot: number, order: object): Promise<void>
}

/** Stores orders the way this build's OrderStore does (the bench also runs against older builds). */
async function seedOrders(databaseName: string, users: { userId: string }[]): Promise<void> {
  const storeModule = pathToFileURL(resolve(repoRoot, 'apps/order-management/dist/store/orders.js')).href
  const { OrderStore } = (await import(storeModule)) as { OrderStore: new (db: unknown) => SomeOrderStore }
  const client = await new MongoClient(await mongoUri()).connect()
  const store = new OrderStore(client.db(databaseName))
  await store.setUp?.()
  for (let i = 0; i < STORED_ORDERS; i++) {
    const { userId } = users[i % users.length]!
    const order = storedOrder(
      `ORD-SEED${randomUUID().slice(0, 8).toUpperCase()}`,
      `SEED${i}`,
      new Date(Date.now() - (STORED_ORDERS - i) * 60_000),
    )
    if (store.commit && store.allocateSlot) {
      const historySlot = await store.allocateSlot(userId, order.id)
      await store.commit({ userId, order, historySlot, orderedLines: [] })
      await store.addToHead?.(userId, historySlot, order)
    } else await store.insert!(userId, order)
  }
  await client.close()
}

async function main() {
  const stack = await startStack({
    apps: ['product-catalog', 'product-inventory', 'profile-management', 'shipping-and-handling'],
  })
  const databaseName = uniqueDatabaseName('orders_bench')
  const orders = await startApp('order-management', {
    env: {
      MONGODB_URI: await mongoUri(),
      MONGODB_DATABASE: databaseName,
      PRODUCT_CATALOG_URL: stack.url('product-catalog'),
      PRODUCT_INVENTORY_URL: stack.url('product-inventory'),
      PROFILE_MANAGEMENT_URL: stack.url('profile-management'),
      SHIPPING_AND_HANDLING_URL: stack.url('shipping-and-handling'),
    },
  })
  try {
    const users = await Promise.all(
      Array.from({ length: USERS }, async (_, i) => {
        const response = await fetch(`${stack.url('profile-management')}/api/auth/signup`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            email: `bench-${i}-${randomUUID().slice(0, 8)}@example.com`,
            password: 'correct horse battery',
            firstName: 'Bench',
            lastName: `User${i}`,
            address: ADDRESS,
          }),
        })
        const body = (await response.json()) as { user: { id: string }; token: string }
        return { userId: body.user.id, token: body.token }
      }),
    )
    const seedStarted = performance.now()
    await seedOrders(databaseName, users)
    console.warn(`seeded ${STORED_ORDERS} orders in ${Math.round(performance.now() - seedStarted)} ms`)
    const alive = await fetch(`${orders.url}/healthz`).then((r) => r.status, String)
    console.warn(`order-management exit code ${orders.child.exitCode}, /healthz ${alive}`)
    for (let i = 0; i < 3; i++) {
      const started = performance.now()
      const one = await fetch(`${orders.url}/api/orders?page=1&pageSize=20`, {
        headers: { authorization: `Bearer ${users[0]!.token}` },
      })
      console.warn(`one history call alone: ${one.status} in ${Math.round(performance.now() - started)} ms`)
    }

    const baseline = tally()
    const history = tally()
    const checkout = tally()
    let placed = 0
    const until = Date.now() + DURATION_S * 1000
    await Promise.all(
      users.map(async ({ token }, u) => {
        const auth = { authorization: `Bearer ${token}` }
        const json = { ...auth, 'content-type': 'application/json' }
        for (let round = 0; Date.now() < until; round++) {
          await timed(baseline, `${orders.url}/healthz`)
          await timed(history, `${orders.url}/api/orders?page=1&pageSize=20`, { headers: auth })
          if (round % 5 === 4) {
            const product = u % 2 ? 'speed-jump-rope' : 'insulated-water-bottle'
            await fetch(`${orders.url}/api/cart/items/${product}`, {
              method: 'PUT',
              headers: json,
              body: JSON.stringify({ quantity: 1 }),
            })
            const answer = await timed(checkout, `${orders.url}/api/orders`, {
              method: 'POST',
              headers: { ...json, 'idempotency-key': `bench-${u}-${round}-${randomUUID().slice(0, 6)}` },
              body: JSON.stringify({ shippingMethod: 'standard' }),
            })
            if (answer?.status === 201) placed++
          }
        }
      }),
    )
    const ratio = (t: Tally, p: number) =>
      (percentile(t.latencies, p) / percentile(baseline.latencies, p)).toFixed(1)
    const line = (name: string, t: Tally) =>
      `${name}: ${t.latencies.length + t.timeouts} calls, ${t.timeouts} timeouts (> ${CALL_TIMEOUT_MS} ms), ` +
      `${t.errors} errors, p50 ${ratio(t, 50)}x and p95 ${ratio(t, 95)}x GET /healthz`
    console.warn(`users ${USERS}, orders stored ${STORED_ORDERS}, duration ${DURATION_S} s`)
    console.warn(line('GET /api/orders', history))
    console.warn(line('POST /api/orders', checkout) + `, ${placed} placed`)
  } finally {
    await orders.stop()
    await stack.stop()
    await stopAllProcesses()
  }
}

await main()
