import { setTimeout as sleep } from 'node:timers/promises'
import {
  mongoUri,
  startApp,
  startDatabaseFaultProxy,
  startFaultProxy,
  startStack,
  uniqueDatabaseName,
  type DatabaseFaultProxy,
  type FaultProxy,
  type StartedApp,
  type Stack,
} from '@shop/test-support'
import { MongoClient } from 'mongodb'
import { call, placeOrder, setCartLine, signUp, stockOf } from './helpers.js'

/** Short lease and reconciler period, so that recovery is seen within a test. */
export const LEASE_MS = 3_000
export const RECONCILE_MS = 300
/** Long enough for any lease to end and the reconciler to pass over it. */
export const SETTLE_MS = LEASE_MS + 4 * RECONCILE_MS + 1_500

/**
 * order-management between fault proxies: one in front of the real database, one in front of each of
 * product-inventory and shipping-and-handling; the other apps are real and direct.
 */
export interface SagaRig {
  stack: Stack
  db: DatabaseFaultProxy
  inventory: FaultProxy
  shipping: FaultProxy
  orders: StartedApp
  /** order-management's own database, read directly to check what the API cannot show. */
  orderDb: MongoClient
  databaseName: string
  restartOrders(): Promise<void>
  close(): Promise<void>
}

export async function startSagaRig(): Promise<SagaRig> {
  const stack = await startStack({
    apps: ['product-catalog', 'product-inventory', 'profile-management', 'shipping-and-handling'],
  })
  const uri = await mongoUri()
  const db = await startDatabaseFaultProxy(uri)
  const inventory = await startFaultProxy(stack.url('product-inventory'))
  const shipping = await startFaultProxy(stack.url('shipping-and-handling'))
  const databaseName = uniqueDatabaseName('orders_saga')
  const env = {
    MONGODB_URI: db.uri,
    MONGODB_DATABASE: databaseName,
    PRODUCT_CATALOG_URL: stack.url('product-catalog'),
    PRODUCT_INVENTORY_URL: inventory.url,
    PROFILE_MANAGEMENT_URL: stack.url('profile-management'),
    SHIPPING_AND_HANDLING_URL: shipping.url,
    CHECKOUT_LEASE_MS: String(LEASE_MS),
    CHECKOUT_WAIT_MS: '500',
    RECONCILE_INTERVAL_MS: String(RECONCILE_MS),
    INVENTORY_TIMEOUT_MS: '2500',
  }
  const orderDb = await new MongoClient(uri).connect()
  const rig: SagaRig = {
    stack,
    db,
    inventory,
    shipping,
    orders: await startApp('order-management', { env }),
    orderDb,
    databaseName,
    async restartOrders() {
      rig.orders = await startApp('order-management', { env })
    },
    async close() {
      await rig.orders?.stop()
      await orderDb.close()
      await Promise.all([db.close(), inventory.close(), shipping.close()])
      await stack.stop()
    },
  }
  return rig
}

export interface Shopper {
  userId: string
  token: string
}

/** What one user's checkouts left behind, once everything settled. */
export interface Audit {
  /** Orders in the user's history. */
  orders: { id: string; items: { productId: string; quantity: number }[] }[]
  /** Order ids listed more than once, or the same key placed more than once. */
  duplicates: number
  /** Units taken from stock minus units in orders (positive: stock held without an order). */
  leakedUnits: number
  /** Acknowledged (201) order ids missing from the history. */
  lostOrders: number
}

export async function audit(
  rig: SagaRig,
  shopper: Shopper,
  stockTaken: number,
  acknowledged: readonly string[],
): Promise<Audit> {
  const { body } = await call(rig.orders.url, '/api/orders?pageSize=100', { token: shopper.token })
  const orders = (body.items ?? []) as unknown as Audit['orders']
  const ids = orders.map((order) => order.id)
  const ordered = orders.flatMap((order) => order.items).reduce((sum, line) => sum + line.quantity, 0)
  return {
    orders,
    duplicates: ids.length - new Set(ids).size,
    leakedUnits: stockTaken - ordered,
    lostOrders: acknowledged.filter((id) => !ids.includes(id)).length,
  }
}

/**
 * Retries the key as the page does (same key, after Retry-After) until it answers 201 or a refusal
 * that is final; answers the last answer and how many calls it took.
 */
export async function retryUntilSettled(rig: SagaRig, shopper: Shopper, key: string, deadlineMs = 30_000) {
  const deadline = Date.now() + deadlineMs
  for (let calls = 1; ; calls++) {
    const answer = await placeOrder(
      rig.stack,
      shopper.token,
      key,
      { shippingMethod: 'standard' },
      rig.orders.url,
    )
    const again =
      answer.status === 503 || (answer.status === 409 && answer.body.title === 'Order in progress')
    if (!again || Date.now() > deadline) return { answer, calls }
    await sleep(Number(answer.headers.get('retry-after') ?? 1) * 250)
  }
}

export { call, setCartLine, signUp, sleep, stockOf }
