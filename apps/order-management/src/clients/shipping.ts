import type {
  Address,
  Destination,
  Shipment,
  ShippingLine,
  ShippingMethodId,
  ShippingQuote,
} from '@shop/contracts'
import { ProblemError, problemType } from '@shop/service-kit'
import type { Upstream } from '@shop/service-kit/upstream'

/** Quotes and shipments at shipping-and-handling. */
export class ShippingClient {
  constructor(private readonly upstream: Upstream) {}

  async quote(
    items: ShippingLine[],
    destination: Destination,
    method: ShippingMethodId,
  ): Promise<ShippingQuote> {
    const answer = await this.upstream.call<{ items?: ShippingQuote[]; detail?: string }>(
      '/api/shipping/quote',
      {
        method: 'POST',
        body: { items, destination, method },
      },
    )
    const quote = answer.body.items?.find((candidate) => candidate.method === method)
    if (answer.status === 200 && quote) return quote
    if (answer.status === 400)
      throw new ProblemError(400, `Cannot quote shipping: ${answer.body.detail ?? 'invalid destination'}`, {
        title: 'Invalid destination',
        type: problemType('invalid-destination'),
      })
    throw this.upstream.unexpected('POST /api/shipping/quote', answer)
  }

  /** Idempotent by order id at the shipping service. */
  async createShipment(
    orderId: string,
    method: ShippingMethodId,
    address: Address,
    items: ShippingLine[],
  ): Promise<Shipment> {
    const answer = await this.upstream.call<Shipment>('/api/shipments', {
      method: 'POST',
      body: { orderId, method, address, items },
    })
    if (answer.status === 200 || answer.status === 201) return answer.body
    throw this.upstream.unexpected('POST /api/shipments', answer)
  }

  /** Cancels the order's shipment, booked or not (idempotent; a booking arriving later is refused). */
  async cancelShipment(orderId: string): Promise<void> {
    const path = `/api/shipments/by-order/${orderId}`
    const answer = await this.upstream.call(path, { method: 'DELETE' })
    if (answer.status !== 200) throw this.upstream.unexpected(`DELETE ${path}`, answer)
  }
}
