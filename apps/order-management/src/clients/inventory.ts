import type { ReservationLine, Shortage } from '@shop/contracts'
import { ProblemError, problemType } from '@shop/service-kit'
import type { Upstream } from '@shop/service-kit/upstream'

/** Stock reservations at product-inventory: all lines or none, idempotent by order id. */
export class InventoryClient {
  constructor(private readonly upstream: Upstream) {}

  async reserve(orderId: string, items: ReservationLine[]): Promise<void> {
    const answer = await this.upstream.call<{ shortages?: Shortage[] }>('/api/reservations', {
      method: 'POST',
      body: { orderId, items },
    })
    if (answer.status === 200 || answer.status === 201) return
    const shortages = answer.body.shortages
    if (answer.status === 409 && shortages) {
      const names = shortages.map((shortage) => `${shortage.productId} (${shortage.available} left)`)
      throw new ProblemError(409, `Not enough stock for ${names.join(', ')}`, {
        title: 'Insufficient stock',
        type: problemType('insufficient-stock'),
        extensions: { shortages },
      })
    }
    throw this.upstream.unexpected('POST /api/reservations', answer)
  }

  /** Gives the stock back; idempotent at the inventory, and a release of nothing is fine. */
  async release(orderId: string): Promise<void> {
    const path = `/api/reservations/${orderId}`
    const answer = await this.upstream.call(path, { method: 'DELETE' })
    if (answer.status >= 400 && answer.status !== 404)
      throw this.upstream.unexpected(`DELETE ${path}`, answer)
  }
}
