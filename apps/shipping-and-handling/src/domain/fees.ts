import type { Destination, ShippingLine, ShippingMethodId } from '@shop/contracts'
import { destinationZone, type Zone } from './destination.js'
import {
  CATEGORY_HANDLING,
  HEAVY_ITEM_GRAMS,
  HEAVY_ITEM_SURCHARGE,
  methodTerms,
  REMOTE_AREA_SURCHARGE,
  type ZoneTerms,
} from './methods.js'

/** One line of a fee's explanation, so a person can check the sum. */
export interface FeeItem {
  label: string
  amount: number
}

export interface Fee {
  /** Cents; always the sum of the breakdown. */
  amount: number
  breakdown: FeeItem[]
}

type FeeLine = Pick<ShippingLine, 'quantity' | 'weightGrams' | 'category'>

/**
 * The shipping fee of some lines to a destination by a method: a pure function of its inputs, so the
 * same cart always costs the same and the quote a person saw is what the shipment charges.
 */
export function shippingFee(
  lines: readonly FeeLine[],
  destination: Destination,
  method: ShippingMethodId,
): Fee {
  return feeForZone(lines, destinationZone(destination), method)
}

export function feeForZone(lines: readonly FeeLine[], zone: Zone, method: ShippingMethodId): Fee {
  const terms = methodTerms(method)
  const rates: ZoneTerms = zone.international ? terms.international : terms.domestic
  const breakdown: FeeItem[] = [
    {
      label: `${terms.name} ${zone.international ? 'international' : 'domestic'} base fee`,
      amount: rates.baseFee,
    },
  ]

  const totalGrams = lines.reduce((sum, line) => sum + line.weightGrams * line.quantity, 0)
  const startedKg = Math.ceil(totalGrams / 1000)
  if (startedKg > 0)
    breakdown.push({
      label: `Weight: ${startedKg} started kg (${totalGrams} g) at ${usd(rates.perKg)}/kg`,
      amount: startedKg * rates.perKg,
    })

  for (const [category, units] of unitsByCategory(lines)) {
    const handling = CATEGORY_HANDLING[category]
    if (handling)
      breakdown.push({
        label: `Handling, ${category} (${handling.reason}): ${units} × ${usd(handling.perUnit)}`,
        amount: units * handling.perUnit,
      })
  }

  const heavyUnits = lines
    .filter((line) => line.weightGrams >= HEAVY_ITEM_GRAMS)
    .reduce((sum, line) => sum + line.quantity, 0)
  if (heavyUnits > 0)
    breakdown.push({
      label: `Heavy items (${HEAVY_ITEM_GRAMS / 1000} kg or more each): ${heavyUnits} × ${usd(HEAVY_ITEM_SURCHARGE)}`,
      amount: heavyUnits * HEAVY_ITEM_SURCHARGE,
    })

  if (zone.remote) breakdown.push({ label: 'Remote area surcharge', amount: REMOTE_AREA_SURCHARGE })

  return { amount: breakdown.reduce((sum, item) => sum + item.amount, 0), breakdown }
}

/** Units per category, in a stable order so the breakdown reads the same for the same lines. */
function unitsByCategory(lines: readonly FeeLine[]): [string, number][] {
  const units = new Map<string, number>()
  for (const line of lines) units.set(line.category, (units.get(line.category) ?? 0) + line.quantity)
  return [...units].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
}

export function usd(cents: number): string {
  return `$${(cents / 100).toFixed(2)}`
}
