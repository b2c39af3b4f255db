import type { DayRange } from './methods.js'

const DAY_MS = 24 * 60 * 60 * 1000

/** Earliest and latest delivery dates, as calendar dates (YYYY-MM-DD, UTC). */
export interface DeliveryWindow {
  earliest: string
  latest: string
}

/**
 * The UTC date `days` business days after `from`'s date, skipping Saturdays and Sundays (public
 * holidays are not modelled). One business day after a Friday, a Saturday or a Sunday is the Monday.
 */
export function addBusinessDays(from: Date, days: number): string {
  let time = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate())
  for (let added = 0; added < days;) {
    time += DAY_MS
    if (isWeekday(time)) added++
  }
  return new Date(time).toISOString().slice(0, 10)
}

export function deliveryWindow(now: Date, days: DayRange): DeliveryWindow {
  return { earliest: addBusinessDays(now, days.min), latest: addBusinessDays(now, days.max) }
}

function isWeekday(time: number): boolean {
  const day = new Date(time).getUTCDay()
  return day !== 0 && day !== 6
}
