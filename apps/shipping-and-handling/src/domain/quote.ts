import { SHIPPING_METHOD_IDS, type QuoteRequest, type ShippingMethodId } from '@shop/contracts'
import { deliveryWindow, type DeliveryWindow } from './business-days.js'
import { destinationZone, type Zone } from './destination.js'
import { feeForZone, type FeeItem } from './fees.js'
import { methodTerms, REMOTE_AREA_EXTRA_DAYS, type DayRange } from './methods.js'

export interface Quote {
  method: ShippingMethodId
  fee: number
  currency: 'USD'
  estimatedDelivery: DeliveryWindow
  breakdown: FeeItem[]
}

/** Quotes every method (or only the asked one) for the lines and destination, as of `now`. */
export function quoteShipping(request: QuoteRequest, now: Date): Quote[] {
  const zone = destinationZone(request.destination)
  const methods = request.method ? [request.method] : SHIPPING_METHOD_IDS
  return methods.map((method) => quoteForZone(request.items, zone, method, now))
}

export function quoteForZone(
  lines: QuoteRequest['items'],
  zone: Zone,
  method: ShippingMethodId,
  now: Date,
): Quote {
  const fee = feeForZone(lines, zone, method)
  return {
    method,
    fee: fee.amount,
    currency: 'USD',
    estimatedDelivery: deliveryWindow(now, transitDays(method, zone)),
    breakdown: fee.breakdown,
  }
}

export function transitDays(method: ShippingMethodId, zone: Zone): DayRange {
  const terms = methodTerms(method)
  const days = zone.international ? terms.international.days : terms.domestic.days
  if (!zone.remote) return days
  return { min: days.min + REMOTE_AREA_EXTRA_DAYS.min, max: days.max + REMOTE_AREA_EXTRA_DAYS.max }
}
