import { MongoClient, type Collection } from 'mongodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SHIPPING_METHOD_IDS, type ShipmentRequest, type ShippingLine } from '@shop/contracts'
import type { Problem } from '@shop/service-kit'
import {
  callJson,
  expectProblem,
  mongoUri,
  startApp,
  uniqueDatabaseName,
  type StartedApp,
} from '@shop/test-support'
import { shippingFee } from '../src/domain/fees.js'

interface Quote {
  method: string
  fee: number
  currency: string
  estimatedDelivery: { earliest: string; latest: string }
  breakdown: { label: string; amount: number }[]
}
interface Shipment {
  trackingNumber: string
  orderId: string
  method: string
  status: string
  fee: number
  currency: string
  createdAt: string
  estimatedDelivery: { earliest: string; latest: string }
  events: { status: string; at: string }[]
}

function call<T>(app: StartedApp, path: string, body?: unknown) {
  return callJson<T>(`${app.url}${path}`, { body })
}

// A Friday afternoon, so the estimates cross a weekend.
const NOW = '2026-03-06T15:00:00.000Z'

const items: ShippingLine[] = [
  { productId: 'cast-iron-skillet', quantity: 1, weightGrams: 2600, category: 'home' },
  { productId: 'designing-data-systems', quantity: 2, weightGrams: 900, category: 'books' },
]
const address = { line1: '1 Main St', city: 'Springfield', region: 'IL', postalCode: '62701', country: 'US' }
let orders = 0
const shipmentRequest = (overrides: Partial<ShipmentRequest> = {}): ShipmentRequest => ({
  orderId: `order-${++orders}-${Date.now()}`,
  method: 'standard',
  address,
  items,
  ...overrides,
})

describe('shipping-and-handling', () => {
  let app: StartedApp
  let client: MongoClient
  let database: string
  let shipments: Collection

  beforeAll(async () => {
    const uri = await mongoUri()
    database = uniqueDatabaseName('shipping')
    client = new MongoClient(uri)
    shipments = client.db(database).collection('shipments')
    app = await startApp('shipping-and-handling', {
      env: { MONGODB_URI: uri, MONGODB_DATABASE: database, CLOCK_FIXED_AT: NOW },
    })
  })

  afterAll(async () => {
    await app?.stop()
    await client?.db(database).dropDatabase()
    await client?.close()
  })

  it('lists the methods with their base fees and delivery times', async () => {
    const { status, headers, body } = await call<{ items: Record<string, unknown>[]; total: number }>(
      app,
      '/api/shipping/methods',
    )
    expect(status).toBe(200)
    expect(headers.get('x-served-by')).toBe('shipping-and-handling/v1')
    expect(body.items.map((method) => method.id)).toEqual([...SHIPPING_METHOD_IDS])
    expect(body.total).toBe(body.items.length)
    for (const method of body.items) {
      expect(method).toMatchObject({ name: expect.any(String), currency: 'USD' })
      expect(Number.isInteger(method.baseFee)).toBe(true)
      const days = method.businessDays as { min: number; max: number }
      expect(days.min).toBeGreaterThanOrEqual(1)
      expect(days.max).toBeGreaterThanOrEqual(days.min)
    }
  })

  it('quotes every method, or the one asked, with the fee of the fee rules and dates from the clock', async () => {
    const destination = { country: 'US', postalCode: '62701' }
    const all = await call<{ items: Quote[]; total: number }>(app, '/api/shipping/quote', {
      items,
      destination,
    })
    expect(all.status).toBe(200)
    expect(all.body.total).toBe(3)
    expect(all.body.items.map((quote) => quote.method)).toEqual([...SHIPPING_METHOD_IDS])
    for (const quote of all.body.items) {
      expect(quote.fee).toBe(
        shippingFee(items, destination, quote.method as ShipmentRequest['method']).amount,
      )
      expect(quote.breakdown.reduce((sum, item) => sum + item.amount, 0)).toBe(quote.fee)
    }
    // Friday + 3 business days is Wednesday; + 5 is the next Friday; overnight is Monday.
    expect(all.body.items[0]!.estimatedDelivery).toEqual({ earliest: '2026-03-11', latest: '2026-03-13' })
    expect(all.body.items[2]!.estimatedDelivery).toEqual({ earliest: '2026-03-09', latest: '2026-03-09' })

    const again = await call<{ items: Quote[] }>(app, '/api/shipping/quote', { items, destination })
    expect(again.body).toEqual(all.body)
    const express = await call<{ items: Quote[]; total: number }>(app, '/api/shipping/quote', {
      items,
      destination,
      method: 'express',
    })
    expect(express.body).toEqual({ items: [all.body.items[1]], total: 1 })
    const abroad = await call<{ items: Quote[] }>(app, '/api/shipping/quote', {
      items,
      destination: { country: 'CA', postalCode: 'K1A 0B1' },
      method: 'express',
    })
    expect(abroad.body.items[0]!.fee).toBeGreaterThan(express.body.items[0]!.fee)
  })

  it('answers bad quote requests with 400 problems', async () => {
    const destination = { country: 'US', postalCode: '62701' }
    const cases: [string, unknown][] = [
      ['no items', { items: [], destination }],
      ['no destination', { items }],
      ['negative weight', { items: [{ ...items[0], weightGrams: -1 }], destination }],
      ['zero quantity', { items: [{ ...items[0], quantity: 0 }], destination }],
      ['unknown method', { items, destination, method: 'teleport' }],
      ['lowercase country', { items, destination: { country: 'us', postalCode: '62701' } }],
      ['not a ZIP code', { items, destination: { country: 'US', postalCode: 'ABCDE' } }],
      ['extra field', { items, destination, coupon: 'FREE' }],
      ['extra line field', { items: [{ ...items[0], price: 100 }], destination }],
      ['not JSON', '{"items": ['],
    ]
    for (const [label, body] of cases) {
      const answer = await call<Problem>(app, '/api/shipping/quote', body)
      expectProblem(answer, 400, label)
    }
  })

  it('books a shipment with a tracking number and the quoted fee, and tracks it', async () => {
    const request = shipmentRequest({ method: 'express' })
    const booked = await call<Shipment>(app, '/api/shipments', request)
    expect(booked.status).toBe(201)
    expect(booked.body.trackingNumber).toMatch(/^SH[0-9A-HJKMNP-TV-Z]{10}$/)
    expect(booked.headers.get('location')).toBe(`/api/shipments/${booked.body.trackingNumber}`)
    const quote = await call<{ items: Quote[] }>(app, '/api/shipping/quote', {
      items,
      destination: { country: address.country, postalCode: address.postalCode },
      method: 'express',
    })
    expect(booked.body).toMatchObject({
      orderId: request.orderId,
      method: 'express',
      status: 'label-created',
      fee: quote.body.items[0]!.fee,
      currency: 'USD',
      address,
      createdAt: NOW,
      estimatedDelivery: quote.body.items[0]!.estimatedDelivery,
    })

    const tracked = await call<Shipment>(app, `/api/shipments/${booked.body.trackingNumber}`)
    expect(tracked.status).toBe(200)
    expect(tracked.body).toEqual(booked.body)
    const typed = await call<Shipment>(app, `/api/shipments/${booked.body.trackingNumber.toLowerCase()}`)
    expect(typed.body.trackingNumber).toBe(booked.body.trackingNumber)
  })

  it('books one shipment per order, however many identical requests race', async () => {
    const request = shipmentRequest()
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => call<Shipment>(app, '/api/shipments', request)),
    )
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 200, 200, 201])
    expect(new Set(answers.map((answer) => answer.body.trackingNumber)).size).toBe(1)
    expect(await shipments.countDocuments({ _id: request.orderId } as object)).toBe(1)

    const repeated = await call<Shipment>(app, '/api/shipments', {
      ...request,
      items: [...request.items].reverse(),
      address: Object.fromEntries(Object.entries(address).reverse()) as typeof address,
    })
    expect(repeated.status).toBe(200)
    expect(repeated.body).toEqual(answers[0]!.body)
    expect(await shipments.countDocuments({ _id: request.orderId } as object)).toBe(1)
  })

  it('cancels a shipment idempotently, and refuses a booking that arrives after its cancellation', async () => {
    const cancel = (orderId: string) =>
      callJson<{ orderId: string; status: string; cancelledAt: string; trackingNumber?: string }>(
        `${app.url}/api/shipments/by-order/${orderId}`,
        { method: 'DELETE' },
      )
    const booked = shipmentRequest()
    const shipment = await call<Shipment>(app, '/api/shipments', booked)
    expect(shipment.status).toBe(201)
    const cancelled = await cancel(booked.orderId)
    expect(cancelled.status).toBe(200)
    expect(cancelled.body).toMatchObject({
      orderId: booked.orderId,
      status: 'cancelled',
      trackingNumber: shipment.body.trackingNumber,
    })
    expect((await cancel(booked.orderId)).body).toEqual(cancelled.body)
    const tracked = await call<Shipment>(app, `/api/shipments/${shipment.body.trackingNumber}`)
    expect(tracked.body.status).toBe('cancelled')
    expectProblem(await call<Problem>(app, '/api/shipments', booked), 409, 'cancelled')

    // A cancellation before any booking (a booking call whose answer was lost) blocks the late booking.
    const neverBooked = shipmentRequest()
    const early = await cancel(neverBooked.orderId)
    expect(early.status).toBe(200)
    expect(early.body.trackingNumber).toBeUndefined()
    expectProblem(await call<Problem>(app, '/api/shipments', neverBooked), 409, 'cancelled')
  })

  it('refuses a different shipment for an order that has one, and changes nothing', async () => {
    const request = shipmentRequest()
    const first = await call<Shipment>(app, '/api/shipments', request)
    expect(first.status).toBe(201)
    const before = await shipments.findOne({ _id: request.orderId } as object)
    const conflicting = await call<Problem & { trackingNumber: string }>(app, '/api/shipments', {
      ...request,
      method: 'overnight',
    })
    expectProblem(conflicting, 409, 'other method')
    expect(conflicting.body.trackingNumber).toBe(first.body.trackingNumber)
    expect(await shipments.findOne({ _id: request.orderId } as object)).toEqual(before)
  })

  it('answers 404 for tracking numbers it does not know', async () => {
    for (const number of ['SH0000000000', 'SHZZZZZZZZZZ', 'not-a-number']) {
      const answer = await call<Problem>(app, `/api/shipments/${number}`)
      expectProblem(answer, 404, number)
      expect(answer.body.type).toBe('urn:shop:problem:shipment-not-found')
    }
  })

  it('answers bad shipment requests with 400 problems and stores nothing', async () => {
    const before = await shipments.countDocuments()
    const valid = shipmentRequest()
    const cases: [string, unknown][] = [
      ['no order id', { ...valid, orderId: undefined }],
      ['bad order id', { ...valid, orderId: 'has spaces' }],
      ['no items', { ...valid, items: [] }],
      ['unknown method', { ...valid, method: 'pigeon' }],
      ['address without city', { ...valid, address: { ...address, city: undefined } }],
      ['not a ZIP code', { ...valid, address: { ...address, postalCode: 'SW1A 1AA' } }],
      ['extra field', { ...valid, priority: true }],
      ['extra address field', { ...valid, address: { ...address, floor: 3 } }],
    ]
    for (const [label, body] of cases)
      expectProblem(await call<Problem>(app, '/api/shipments', body), 400, label)
    expect(await shipments.countDocuments()).toBe(before)
    expect(await shipments.countDocuments({ _id: valid.orderId } as object)).toBe(0)
  })

  it('moves a shipment along with the clock: in transit, then delivered', async () => {
    const request = shipmentRequest({ method: 'standard' })
    const booked = await call<Shipment>(app, '/api/shipments', request)
    expect(booked.body.estimatedDelivery.earliest).toBe('2026-03-11')
    // Other instances on the same database whose clocks stand later, as days pass.
    const env = { MONGODB_URI: await mongoUri(), MONGODB_DATABASE: database }
    const [monday, thursday] = await Promise.all([
      startApp('shipping-and-handling', { env: { ...env, CLOCK_FIXED_AT: '2026-03-09T09:00:00Z' } }),
      startApp('shipping-and-handling', { env: { ...env, CLOCK_FIXED_AT: '2026-03-12T09:00:00Z' } }),
    ])
    try {
      const path = `/api/shipments/${booked.body.trackingNumber}`
      const inTransit = await call<Shipment>(monday, path)
      expect(inTransit.body.status).toBe('in-transit')
      expect(inTransit.body.events.map((event) => event.status)).toEqual(['label-created', 'in-transit'])
      const delivered = await call<Shipment>(thursday, path)
      expect(delivered.body.status).toBe('delivered')
      expect(delivered.body.events.map((event) => event.status)).toEqual([
        'label-created',
        'in-transit',
        'out-for-delivery',
        'delivered',
      ])
      // What was fixed at booking does not change.
      expect({ ...delivered.body, status: undefined, events: undefined }).toEqual({
        ...booked.body,
        status: undefined,
        events: undefined,
      })
    } finally {
      await Promise.all([monday.stop(), thursday.stop()])
    }
  })

  it('serves the policy, which states the fee rules', async () => {
    const { status, body } = await call<{ title: string; sections: { heading: string; body: string }[] }>(
      app,
      '/api/shipping/policy',
    )
    expect(status).toBe(200)
    const text = body.sections.map((section) => `${section.heading}: ${section.body}`).join('\n')
    const methods = await call<{ items: { name: string; baseFee: number }[] }>(app, '/api/shipping/methods')
    for (const method of methods.body.items) {
      expect(text).toContain(method.name)
      expect(text).toContain(`$${(method.baseFee / 100).toFixed(2)}`)
    }
    expect(text).toMatch(/return/i)
    expect(text).toMatch(/business days/)
  })

  it('refuses to start without a database', async () => {
    await expect(startApp('shipping-and-handling', { env: {} })).rejects.toThrow(
      /MONGODB_URI or MONGODB_HOST is required/,
    )
  })
})
