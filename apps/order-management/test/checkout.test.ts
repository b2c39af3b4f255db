import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startStack, type Stack } from '@shop/test-support'
import { ADDRESS, call, placeOrder, setCartLine, signingKey, signUp, stockOf } from './helpers.js'

const SERVICES = [
  'product-catalog',
  'product-inventory',
  'profile-management',
  'shipping-and-handling',
  'order-management',
] as const

describe('cart and checkout', () => {
  let stack: Stack
  let key: Awaited<ReturnType<typeof signingKey>>
  let om: string

  beforeAll(async () => {
    key = await signingKey()
    stack = await startStack({
      apps: SERVICES,
      env: {
        // The test signs up 60-odd shoppers from one address, which the per-client limit would refuse.
        'profile-management': {
          JWT_PRIVATE_KEY: key.pem,
          JWT_KEY_ID: 'test-key',
          AUTH_ATTEMPTS_PER_CLIENT_PER_MINUTE: '10000',
        },
      },
    })
    om = stack.url('order-management')
  })

  afterAll(async () => {
    await stack?.stop()
  })

  it('keeps a cart priced by the catalog: add, change, remove', async () => {
    const { token } = await signUp(stack, 'carter')
    expect((await call(om, '/api/cart', { token })).body).toEqual({
      items: [],
      itemCount: 0,
      subtotal: 0,
      currency: 'USD',
    })

    await setCartLine(stack, token, 'pour-over-coffee-set', 2)
    const added = await setCartLine(stack, token, 'speed-jump-rope', 1)
    expect(added.status).toBe(200)
    expect(added.body).toMatchObject({
      itemCount: 3,
      subtotal: 2 * 4500 + 1900,
      items: [
        {
          productId: 'pour-over-coffee-set',
          name: 'Pour-Over Coffee Set',
          unitPrice: 4500,
          quantity: 2,
          lineTotal: 9000,
        },
        { productId: 'speed-jump-rope', unitPrice: 1900, quantity: 1, lineTotal: 1900 },
      ],
    })

    const changed = await setCartLine(stack, token, 'pour-over-coffee-set', 5)
    expect(changed.body).toMatchObject({ itemCount: 6, subtotal: 5 * 4500 + 1900 })
    const removed = await setCartLine(stack, token, 'speed-jump-rope', 0)
    expect(removed.body.items!.map((line) => line.productId)).toEqual(['pour-over-coffee-set'])
    const deleted = await call(om, '/api/cart/items/pour-over-coffee-set', { method: 'DELETE', token })
    expect(deleted.body).toMatchObject({ items: [], subtotal: 0 })
    const again = await call(om, '/api/cart/items/pour-over-coffee-set', { method: 'DELETE', token })
    expect(again.status).toBe(200)
  })

  it('refuses unknown products and bad quantities, and changes nothing', async () => {
    const { token } = await signUp(stack, 'picky')
    await setCartLine(stack, token, 'foam-roller', 1)
    for (const [productId, quantity, status] of [
      ['no-such-product', 1, 404],
      ['foam-roller', -1, 400],
      ['foam-roller', 100, 400],
      ['foam-roller', 1.5, 400],
      ['Not A Slug', 1, 400],
    ] as const) {
      const answer = await setCartLine(stack, token, productId, quantity)
      expect(answer.status, `${productId} x ${quantity}`).toBe(status)
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    }
    const extra = await call(om, '/api/cart/items/foam-roller', {
      method: 'PUT',
      token,
      body: { quantity: 2, price: 1 },
    })
    expect(extra.status).toBe(400)
    expect((await call(om, '/api/cart', { token })).body).toMatchObject({ itemCount: 1, subtotal: 2900 })
  })

  it('quotes shipping for the cart, to the saved address or a given one', async () => {
    const { token } = await signUp(stack, 'quoter')
    await setCartLine(stack, token, 'cast-iron-skillet', 1)
    const saved = await call(om, '/api/cart/quote?shippingMethod=express', { token })
    expect(saved.status).toBe(200)
    expect(saved.body).toMatchObject({ subtotal: 3900, shippingMethod: 'express' })
    expect(saved.body.total).toBe(3900 + (saved.body.shippingFee as number))
    expect(saved.body.shippingFee).toBeGreaterThan(0)
    const abroad = await call(om, '/api/cart/quote?shippingMethod=express&country=DE&postalCode=10115', {
      token,
    })
    expect(abroad.body.shippingFee).toBeGreaterThan(saved.body.shippingFee as number)
  })

  it('places an order: catalog prices, reserved stock, a shipment, an emptied cart, and history', async () => {
    const { token } = await signUp(stack, 'buyer')
    const before = await stockOf(stack, 'headlamp-400')
    await setCartLine(stack, token, 'headlamp-400', 2)
    await setCartLine(stack, token, 'insulated-water-bottle', 1)

    const placed = await placeOrder(stack, token, 'first-order-key')
    expect(placed.status).toBe(201)
    const order = placed.body
    expect(order).toMatchObject({
      status: 'placed',
      subtotal: 2 * 4400 + 3200,
      currency: 'USD',
      shippingMethod: 'standard',
      address: ADDRESS,
    })
    expect(order.id).toMatch(/^ORD-[0-9A-Z]{12}$/)
    expect(order.total).toBe((order.subtotal as number) + (order.shippingFee as number))
    expect(order.trackingNumber).toEqual(expect.any(String))

    expect(await stockOf(stack, 'headlamp-400')).toBe(before - 2)
    const shipment = await call(stack.url('shipping-and-handling'), `/api/shipments/${order.trackingNumber}`)
    expect(shipment.body).toMatchObject({ orderId: order.id, method: 'standard' })
    expect((await call(om, '/api/cart', { token })).body).toMatchObject({ items: [], itemCount: 0 })

    const history = await call(om, '/api/orders', { token })
    expect(history.body).toMatchObject({ total: 1, items: [{ id: order.id }] })
    expect((await call(om, `/api/orders/${order.id}`, { token })).body).toEqual(order)
  })

  it('places one order for one Idempotency-Key, however often and however concurrently it is sent', async () => {
    const { token } = await signUp(stack, 'repeater')
    const before = await stockOf(stack, 'cork-yoga-mat')
    await setCartLine(stack, token, 'cork-yoga-mat', 3)

    const concurrent = await Promise.all(
      Array.from({ length: 5 }, () => placeOrder(stack, token, 'same-key-every-time')),
    )
    const sequential = []
    for (let attempt = 0; attempt < 5; attempt++)
      sequential.push(await placeOrder(stack, token, 'same-key-every-time'))
    const answers = [...concurrent, ...sequential]

    expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(201))
    const first = answers[0]!.body
    for (const answer of answers) expect(answer.body).toEqual(first)
    expect(answers.filter((answer) => answer.headers.get('idempotent-replayed') === 'true')).toHaveLength(9)

    expect((await call(om, '/api/orders', { token })).body.total).toBe(1)
    expect(await stockOf(stack, 'cork-yoga-mat')).toBe(before - 3)
    const reservation = await call(stack.url('product-inventory'), `/api/reservations/${first.id}`)
    expect(reservation.body).toMatchObject({
      orderId: first.id,
      status: 'reserved',
      items: [{ productId: 'cork-yoga-mat', quantity: 3 }],
    })

    const otherRequest = await placeOrder(stack, token, 'same-key-every-time', {
      shippingMethod: 'overnight',
    })
    expect(otherRequest.status).toBe(422)
  })

  it('refuses an empty cart and a missing Idempotency-Key', async () => {
    const { token } = await signUp(stack, 'empty')
    const empty = await placeOrder(stack, token, 'empty-cart-key')
    expect(empty.status).toBe(409)
    expect(empty.body.title).toBe('Empty cart')
    const noKey = await call(om, '/api/orders', {
      method: 'POST',
      token,
      body: { shippingMethod: 'standard' },
    })
    expect(noKey.status).toBe(400)
    expect(noKey.body.detail).toMatch(/idempotency-key/)
  })

  it('sells a product with stock 5 to exactly 5 of 50 concurrent buyers', async () => {
    const product = 'vinyl-turntable'
    expect(await stockOf(stack, product)).toBe(5)
    const buyers = await Promise.all(Array.from({ length: 50 }, (_, index) => signUp(stack, `rush${index}`)))
    for (const buyer of buyers) expect((await setCartLine(stack, buyer.token, product, 1)).status).toBe(200)

    const answers = await Promise.all(
      buyers.map((buyer) => placeOrder(stack, buyer.token, `rush-${buyer.userId}`)),
    )
    const statuses = answers.map((answer) => answer.status)
    expect(statuses.filter((status) => status === 201)).toHaveLength(5)
    expect(statuses.filter((status) => status === 409)).toHaveLength(45)
    for (const refused of answers.filter((answer) => answer.status === 409))
      expect(refused.body).toMatchObject({ title: 'Insufficient stock', shortages: [{ productId: product }] })
    expect(await stockOf(stack, product)).toBe(0)
  })

  it('shows each user only their own orders, and only to a valid token', async () => {
    const alice = await signUp(stack, 'alice')
    const bob = await signUp(stack, 'bob')
    await setCartLine(stack, alice.token, 'foam-roller', 1)
    const order = (await placeOrder(stack, alice.token, 'alice-order-1')).body

    expect((await call(om, `/api/orders/${order.id}`, { token: bob.token })).status).toBe(404)
    expect((await call(om, '/api/orders', { token: bob.token })).body).toEqual({ items: [], total: 0 })
    expect((await call(om, '/api/cart', { token: bob.token })).body.items).toEqual([])

    expect((await call(om, `/api/orders/${order.id}`)).status).toBe(401)
    expect((await call(om, '/api/cart')).status).toBe(401)
    const [header, payload] = alice.token.split('.')
    const forged = `${header}.${payload}.${Buffer.from('not the signature').toString('base64url')}`
    expect((await call(om, '/api/orders', { token: forged })).status).toBe(401)
    const expired = await key.expiredToken(alice.userId)
    const answer = await call(om, '/api/orders', { token: expired })
    expect(answer.status).toBe(401)
    expect(answer.body.detail).toMatch(/expired/)
  })
})
