import { ProblemError, problemType } from '@shop/service-kit'
import type { CartStore } from '../store/carts.js'
import type { CheckoutLog } from '../store/checkouts.js'
import type { OrderStore } from '../store/orders.js'

export interface OrderData {
  carts: CartStore
  orders: OrderStore
  checkouts: CheckoutLog
}

/**
 * The stores, or the answer of an instance deployed without a database: HTTP 500 on every cart and
 * order call (the tutorial's faulty v2). 500 and not 503 on purpose: Envoy retries 503s by default and
 * would hide the fault from the outlier detection the tutorial demonstrates.
 */
export function requireData(data: OrderData | undefined): OrderData {
  if (data) return data
  throw new ProblemError(
    500,
    'This order-management instance has no database configured: it cannot read or store carts and orders',
    {
      title: 'Database not configured',
      type: problemType('database-not-configured'),
    },
  )
}
