import { describe, expect, it } from 'vitest'
import { SHIPPING_METHOD_IDS, type Destination, type ShippingLine } from '@shop/contracts'
import { addBusinessDays } from '../src/domain/business-days.js'
import { shippingFee } from '../src/domain/fees.js'
import { quoteShipping } from '../src/domain/quote.js'
import { eventsUntil, shipmentTimeline } from '../src/domain/shipment-status.js'
import { newTrackingNumber, normalizeTrackingNumber } from '../src/domain/tracking.js'

const domestic: Destination = { country: 'US', postalCode: '62701' }
const abroad: Destination = { country: 'DE', postalCode: '10115' }
const alaska: Destination = { country: 'US', postalCode: '99501' }

const line = (weightGrams: number, category = 'books', quantity = 1): ShippingLine => ({
  productId: `item-${category}-${weightGrams}`,
  quantity,
  weightGrams,
  category,
})

const carts: ShippingLine[][] = [
  [line(0)],
  [line(450)],
  [line(700, 'fitness', 2), line(620)],
  [line(24_000, 'fitness'), line(1100, 'home', 3), line(55, 'audio', 4)],
  [line(9_999, 'outdoor', 7)],
]

describe('shipping fee', () => {
  it('is the same for the same inputs, whatever the order of the lines', () => {
    for (const cart of carts)
      for (const method of SHIPPING_METHOD_IDS) {
        const fee = shippingFee(cart, domestic, method)
        expect(shippingFee(structuredClone(cart), { ...domestic }, method)).toEqual(fee)
        expect(shippingFee([...cart].reverse(), domestic, method)).toEqual(fee)
      }
  })

  it('adds up as the policy says, and the breakdown sums to the fee', () => {
    // Express within the US: $12.99 base; 2 × 700 g + 620 g = 2.02 kg, 3 started kg × $1.99;
    // fitness handling 2 × $3.00; books have none.
    const fee = shippingFee([line(700, 'fitness', 2), line(620)], domestic, 'express')
    expect(fee.amount).toBe(1299 + 3 * 199 + 2 * 300)
    // Standard to Alaska: $4.99 base; 24 kg × $0.99; fitness $3.00; one heavy unit $15.00; remote $7.00.
    expect(shippingFee([line(24_000, 'fitness')], alaska, 'standard').amount).toBe(
      499 + 24 * 99 + 300 + 1500 + 700,
    )
    for (const cart of carts)
      for (const destination of [domestic, abroad, alaska])
        for (const method of SHIPPING_METHOD_IDS) {
          const { amount, breakdown } = shippingFee(cart, destination, method)
          expect(Number.isInteger(amount)).toBe(true)
          expect(breakdown.reduce((sum, item) => sum + item.amount, 0)).toBe(amount)
        }
  })

  it('never gets cheaper when an item gets heavier or more numerous', () => {
    for (const destination of [domestic, abroad, alaska])
      for (const method of SHIPPING_METHOD_IDS)
        for (const category of ['books', 'fitness']) {
          let previous = -1
          for (let grams = 0; grams <= 30_000; grams += 250) {
            const fee = shippingFee([line(grams, category), line(300, 'audio')], destination, method).amount
            expect(fee, `${method} ${grams} g`).toBeGreaterThanOrEqual(previous)
            previous = fee
          }
          const one = shippingFee([line(800, category, 1)], destination, method).amount
          const three = shippingFee([line(800, category, 3)], destination, method).amount
          expect(three).toBeGreaterThan(one)
        }
  })

  it('charges heavy items from 10 kg per unit', () => {
    const just = shippingFee([line(10_000, 'outdoor')], domestic, 'standard').amount
    const under = shippingFee([line(9_999, 'outdoor')], domestic, 'standard').amount
    // Both are 10 started kg: the difference is the heavy-item surcharge alone.
    expect(just - under).toBe(1500)
  })

  it('depends on the category: bulky and fragile goods cost more to handle than books', () => {
    for (const method of SHIPPING_METHOD_IDS) {
      const books = shippingFee([line(2100, 'books', 2)], domestic, method).amount
      const fitness = shippingFee([line(2100, 'fitness', 2)], domestic, method).amount
      const home = shippingFee([line(2100, 'home', 2)], domestic, method).amount
      expect(fitness).toBeGreaterThan(home)
      expect(home).toBeGreaterThan(books)
    }
  })

  it('costs more abroad than at home, and more to remote US areas than elsewhere in the US', () => {
    for (const cart of carts)
      for (const method of SHIPPING_METHOD_IDS) {
        const home = shippingFee(cart, domestic, method).amount
        expect(shippingFee(cart, abroad, method).amount).toBeGreaterThan(home)
        expect(shippingFee(cart, alaska, method).amount).toBeGreaterThan(home)
        // The postal code matters only inside the US.
        expect(shippingFee(cart, { country: 'FR', postalCode: '99501' }, method)).toEqual(
          shippingFee(cart, { country: 'FR', postalCode: '75001' }, method),
        )
      }
  })

  it('costs more the faster the method', () => {
    for (const cart of carts)
      for (const destination of [domestic, abroad, alaska]) {
        const [standard, express, overnight] = SHIPPING_METHOD_IDS.map(
          (method) => shippingFee(cart, destination, method).amount,
        )
        expect(express).toBeGreaterThan(standard!)
        expect(overnight).toBeGreaterThan(express!)
      }
  })

  it('refuses a US destination without a ZIP code', () => {
    for (const postalCode of ['ABCDE', '1234', '123456', '12345-12'])
      expect(() => shippingFee([line(100)], { country: 'US', postalCode }, 'standard')).toThrow(
        expect.objectContaining({ status: 400 }),
      )
    expect(shippingFee([line(100)], { country: 'US', postalCode: '94103-1234' }, 'standard').amount).toBe(
      shippingFee([line(100)], { country: 'US', postalCode: '94103' }, 'standard').amount,
    )
  })
})

describe('delivery dates', () => {
  it('count business days, skipping weekends', () => {
    const friday = new Date('2026-03-06T15:00:00Z')
    expect(addBusinessDays(friday, 1)).toBe('2026-03-09')
    expect(addBusinessDays(new Date('2026-03-07T08:00:00Z'), 1)).toBe('2026-03-09')
    expect(addBusinessDays(new Date('2026-03-08T23:59:59Z'), 1)).toBe('2026-03-09')
    expect(addBusinessDays(new Date('2026-03-04T00:00:00Z'), 3)).toBe('2026-03-09')
    expect(addBusinessDays(friday, 5)).toBe('2026-03-13')
    expect(addBusinessDays(friday, 14)).toBe('2026-03-26')
  })

  it('never land on a weekend and count exactly the business days asked', () => {
    for (let day = 0; day < 21; day++) {
      const from = new Date(Date.UTC(2026, 0, 1 + day, 12))
      for (let days = 1; days <= 15; days++) {
        const date = new Date(`${addBusinessDays(from, days)}T00:00:00Z`)
        expect([0, 6]).not.toContain(date.getUTCDay())
        let weekdays = 0
        for (let t = Date.UTC(2026, 0, 2 + day); t <= date.getTime(); t += 86_400_000)
          if (![0, 6].includes(new Date(t).getUTCDay())) weekdays++
        expect(weekdays).toBe(days)
      }
    }
  })

  it('are quoted from the clock: faster methods arrive no later, remote areas later', () => {
    const now = new Date('2026-03-06T15:00:00Z')
    const quotes = quoteShipping({ items: [line(500)], destination: domestic }, now)
    expect(quotes.map((quote) => quote.method)).toEqual([...SHIPPING_METHOD_IDS])
    const [standard, express, overnight] = quotes
    expect(standard!.estimatedDelivery).toEqual({ earliest: '2026-03-11', latest: '2026-03-13' })
    expect(express!.estimatedDelivery).toEqual({ earliest: '2026-03-10', latest: '2026-03-11' })
    expect(overnight!.estimatedDelivery).toEqual({ earliest: '2026-03-09', latest: '2026-03-09' })
    const [remote] = quoteShipping({ items: [line(500)], destination: alaska, method: 'standard' }, now)
    expect(remote!.estimatedDelivery.earliest > standard!.estimatedDelivery.earliest).toBe(true)
    const [international] = quoteShipping(
      { items: [line(500)], destination: abroad, method: 'overnight' },
      now,
    )
    expect(international!.estimatedDelivery.earliest > overnight!.estimatedDelivery.earliest).toBe(true)
  })
})

describe('tracking numbers', () => {
  it('are SH and 10 base32 characters, different every time', () => {
    const numbers = Array.from({ length: 2000 }, newTrackingNumber)
    for (const number of numbers) expect(number).toMatch(/^SH[0-9A-HJKMNP-TV-Z]{10}$/)
    expect(new Set(numbers).size).toBe(numbers.length)
  })

  it('read back as people type them', () => {
    expect(normalizeTrackingNumber('sh0a1b-2c3d 4e')).toBe('SH0A1B2C3D4E')
    expect(normalizeTrackingNumber('SHOAIBLC3D4E')).toBe('SH0A1B1C3D4E')
    expect(normalizeTrackingNumber('SH0A1B2C3D4')).toBeUndefined()
    expect(normalizeTrackingNumber('XX0A1B2C3D4E')).toBeUndefined()
    expect(normalizeTrackingNumber('SH0A1B2C3D4U')).toBeUndefined()
  })
})

describe('shipment status', () => {
  const created = new Date('2026-03-06T15:00:00Z')
  const timeline = shipmentTimeline(created, '2026-03-11')
  const statusAt = (iso: string) => eventsUntil(timeline, new Date(iso)).at(-1)!.status

  it('moves from label to delivery with the clock, never backwards', () => {
    expect(statusAt('2026-03-06T15:00:00Z')).toBe('label-created')
    expect(statusAt('2026-03-06T20:59:59Z')).toBe('label-created')
    expect(statusAt('2026-03-06T21:00:00Z')).toBe('in-transit')
    expect(statusAt('2026-03-11T07:59:59Z')).toBe('in-transit')
    expect(statusAt('2026-03-11T08:00:00Z')).toBe('out-for-delivery')
    expect(statusAt('2026-03-11T18:00:00Z')).toBe('delivered')
    expect(statusAt('2027-01-01T00:00:00Z')).toBe('delivered')
    // A clock slightly behind the booking (another replica) still shows the label.
    expect(statusAt('2026-03-06T14:59:00Z')).toBe('label-created')
    const times = timeline.map((event) => Date.parse(event.at))
    expect(times).toEqual([...times].sort((a, b) => a - b))
    expect(new Set(times).size).toBe(times.length)
  })

  it('keeps its order for a next-day delivery booked late in the evening', () => {
    const late = shipmentTimeline(new Date('2026-03-09T23:30:00Z'), '2026-03-10')
    expect(late.map((event) => event.status)).toEqual([
      'label-created',
      'in-transit',
      'out-for-delivery',
      'delivered',
    ])
    const times = late.map((event) => Date.parse(event.at))
    expect(times).toEqual([...times].sort((a, b) => a - b))
    expect(times[1]! - times[0]!).toBeLessThanOrEqual(6 * 3_600_000)
  })
})
