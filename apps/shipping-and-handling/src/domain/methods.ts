import type { ShippingMethodId } from '@shop/contracts'

/** A range of business days between handing the parcel over and delivering it. */
export interface DayRange {
  min: number
  max: number
}

/** What one method costs and how long it takes, in one destination zone. */
export interface ZoneTerms {
  /** Per shipment, in cents. */
  baseFee: number
  /** Per started kilogram of the shipment's total weight, in cents. */
  perKg: number
  days: DayRange
}

export interface MethodTerms {
  id: ShippingMethodId
  name: string
  description: string
  domestic: ZoneTerms
  international: ZoneTerms
}

/**
 * The shipping methods and their rates. Every rate of a faster method is at least that of a slower one,
 * and every international rate above the domestic one, so a faster or farther delivery never costs less.
 */
export const METHODS: readonly MethodTerms[] = [
  {
    id: 'standard',
    name: 'Standard',
    description: 'Ground delivery for everyday orders.',
    domestic: { baseFee: 499, perKg: 99, days: { min: 3, max: 5 } },
    international: { baseFee: 1499, perKg: 450, days: { min: 7, max: 14 } },
  },
  {
    id: 'express',
    name: 'Express',
    description: 'Priority handling and air transport where it helps.',
    domestic: { baseFee: 1299, perKg: 199, days: { min: 2, max: 3 } },
    international: { baseFee: 3499, perKg: 900, days: { min: 3, max: 5 } },
  },
  {
    id: 'overnight',
    name: 'Overnight',
    description: 'Next business day within the US; the fastest service abroad.',
    domestic: { baseFee: 2499, perKg: 349, days: { min: 1, max: 1 } },
    international: { baseFee: 5999, perKg: 1500, days: { min: 2, max: 3 } },
  },
]

export function methodTerms(id: ShippingMethodId): MethodTerms {
  const terms = METHODS.find((method) => method.id === id)
  if (!terms) throw new Error(`unknown shipping method ${id}`)
  return terms
}

/** Handling per unit for categories that need more packing or care, in cents; other categories have none. */
export const CATEGORY_HANDLING: Readonly<Record<string, { perUnit: number; reason: string }>> = {
  fitness: { perUnit: 300, reason: 'bulky' },
  home: { perUnit: 200, reason: 'bulky or fragile' },
  audio: { perUnit: 150, reason: 'fragile electronics' },
}

/** A unit at least this heavy is handled as a heavy item. */
export const HEAVY_ITEM_GRAMS = 10_000
/** Surcharge per heavy unit, in cents. */
export const HEAVY_ITEM_SURCHARGE = 1500

/** US ZIP code prefixes outside the contiguous states: Alaska, Hawaii, Guam and the Pacific, Puerto Rico, Virgin Islands. */
export const REMOTE_ZIP_PREFIXES: readonly string[] = [
  '995',
  '996',
  '997',
  '998',
  '999',
  '967',
  '968',
  '969',
  '006',
  '007',
  '008',
  '009',
]
/** Per shipment to a remote US ZIP code, in cents, and the extra business days it takes. */
export const REMOTE_AREA_SURCHARGE = 700
export const REMOTE_AREA_EXTRA_DAYS: DayRange = { min: 1, max: 2 }

export const DOMESTIC_COUNTRY = 'US'
