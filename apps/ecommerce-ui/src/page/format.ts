const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' })

/** Integer cents to `$199.00`. */
export function formatPrice(cents: number): string {
  return money.format(cents / 100)
}

const day = new Intl.DateTimeFormat('en-US', { weekday: 'short', month: 'short', day: 'numeric' })
const dateTime = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' })

/** `2026-12-03` (a calendar day) to `Thu, Dec 3`. */
export function formatDay(isoDay: string): string {
  const [year, month, date] = isoDay.slice(0, 10).split('-').map(Number)
  return day.format(new Date(year!, month! - 1, date!))
}

export function formatDateTime(iso: string): string {
  return dateTime.format(new Date(iso))
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`
}

/** `3–5 business days`, or `1 business day` when the range is one day. */
export function formatBusinessDays({ min, max }: { min: number; max: number }): string {
  return min === max ? plural(min, 'business day') : `${min}–${max} business days`
}
