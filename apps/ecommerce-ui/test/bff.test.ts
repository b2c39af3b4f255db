import { readdirSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { products } from '@shop/catalog-data'
import type { Problem } from '@shop/service-kit'
import { repoRoot, type StartedApp } from '@shop/test-support'
import { ADDRESS, newAccount, ShopClient } from './support/shop-client.js'
import { startStack, type Stack } from './support/stack.js'

const priceOf = (id: string) => products.find((product) => product.id === id)!.price

interface CartBody {
  items: { productId: string; unitPrice: number; quantity: number; lineTotal: number }[]
  subtotal: number
}

/** A new signed-up client, with its session cookie. */
async function signedUpClient(baseUrl: string): Promise<ShopClient> {
  const client = new ShopClient(baseUrl)
  const answer = await client.send('POST', '/api/auth/signup', { body: newAccount() })
  expect(answer.status, answer.text).toBe(201)
  return client
}

describe('ecommerce-ui BFF over HTTP', () => {
  let stack: Stack
  /** A second BFF on the same services: Secure cookies, a Jaeger link, a tight sign-in limit, no shipping. */
  let strict: StartedApp
  /** A BFF behind one trusted proxy (the ingress gateway), with the default cookie policy. */
  let behindIngress: StartedApp

  beforeAll(async () => {
    stack = await startStack()
    strict = await stack.startUi({
      SECURE_COOKIES: 'true',
      JAEGER_UI_URL: 'http://jaeger.example:16686',
      AUTH_RATE_LIMIT_PER_MINUTE: '3',
      SHIPPING_AND_HANDLING_URL: 'http://127.0.0.1:9',
    })
    behindIngress = await stack.startUi({ TRUSTED_PROXY_HOPS: '1' })
  }, 120_000)

  afterAll(async () => {
    await stack?.stop()
  })

  it('serves the page: index.html revalidated, hashed assets cached a year, client routes fall back to it', async () => {
    const client = new ShopClient(stack.ui.url)
    for (const path of ['/', '/products/foam-roller', '/orders/some-order?x=1']) {
      const page = await client.get(path, { accept: 'text/html' })
      expect(page.status, path).toBe(200)
      expect(page.headers.get('content-type')).toMatch(/^text\/html/)
      expect(page.headers.get('cache-control')).toBe('no-cache')
      expect(page.text).toContain('<div id="root"></div>')
    }
    const assets = readdirSync(`${repoRoot}apps/ecommerce-ui/dist/public/assets`).filter((name) =>
      /\.(js|css)$/.test(name),
    )
    expect(assets.length).toBeGreaterThanOrEqual(2)
    for (const name of assets) {
      const asset = await fetch(`${stack.ui.url}/assets/${name}`, {
        headers: { 'accept-encoding': 'br, gzip' },
      })
      expect(asset.status).toBe(200)
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
      expect(asset.headers.get('content-encoding')).toBe('br')
    }
    const image = await fetch(`${stack.ui.url}/images/products/foam-roller.svg`)
    expect(image.status).toBe(200)
    expect(image.headers.get('content-type')).toMatch(/^image\/svg\+xml/)

    const missing = await client.get<Problem>('/api/no-such-thing')
    expect(missing.status).toBe(404)
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    expect(missing.body.requestId).toBe(missing.headers.get('x-request-id'))
  })

  const HELMET_HEADERS: Record<string, unknown> = {
    'content-security-policy': expect.any(String),
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'origin-agent-cluster': '?1',
    'referrer-policy': 'same-origin',
    'x-content-type-options': 'nosniff',
    'x-dns-prefetch-control': 'off',
    'x-download-options': 'noopen',
    'x-frame-options': 'SAMEORIGIN',
    'x-permitted-cross-domain-policies': 'none',
    'x-xss-protection': '0',
  }

  it('sends security headers, with a Content-Security-Policy that allows only the shop itself', async () => {
    const page = await fetch(`${stack.ui.url}/`)
    const csp = page.headers.get('content-security-policy')!
    expect(csp).toContain("default-src 'self'")
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).not.toContain('unsafe-inline')
    expect(page.headers.get('x-content-type-options')).toBe('nosniff')
    expect(page.headers.get('strict-transport-security')).toBeNull()
    // helmet's whole set, on pages, API answers and problems alike; the API docs get a looser CSP.
    for (const path of ['/', '/api/products', '/api/no-such-thing', '/docs/json']) {
      const answer = await fetch(`${stack.ui.url}${path}`)
      expect(
        Object.fromEntries([...answer.headers].filter(([name]) => name in HELMET_HEADERS)),
        path,
      ).toEqual({
        ...HELMET_HEADERS,
        'content-security-policy': path.startsWith('/docs')
          ? expect.stringContaining("'unsafe-inline'")
          : csp,
      })
      expect(answer.headers.get('x-powered-by'), path).toBeNull()
    }
    const secure = await fetch(`${strict.url}/`)
    expect(secure.headers.get('strict-transport-security')).toMatch(/max-age=31536000/)
  })

  it('tells which service versions served each answer, next to its request id', async () => {
    const client = new ShopClient(stack.ui.url)
    const v1 = await client.get('/api/products?pageSize=3')
    expect(v1.status).toBe(200)
    expect(v1.headers.get('x-shop-served-by')).toBe('ecommerce-ui/v1, product-catalog/v1')
    expect(v1.headers.get('x-request-id')).toMatch(/^[\w-]{8,}$/)
    expect(v1.headers.get('x-trace-id')).toMatch(/^[0-9a-f]{32}$/)

    // The tester routing: the browser's x-canary header reaches product-catalog, and v2 answers.
    const seen = stack.catalogRouter.requests.length
    const canary = await client.get<{ items: { rating?: unknown }[] }>('/api/products?pageSize=3', {
      'x-canary': 'v2',
    })
    expect(canary.headers.get('x-shop-served-by')).toBe('ecommerce-ui/v1, product-catalog/v2')
    expect(canary.body.items[0]!.rating).toMatchObject({
      average: expect.any(Number),
      count: expect.any(Number),
    })
    const forwarded = stack.catalogRouter.requests.slice(seen)
    expect(forwarded).toHaveLength(1)
    expect(forwarded[0]!.headers['x-canary']).toBe('v2')
    // The services get the request id and trace context, and the browser's address as a proxy would give it.
    expect(forwarded[0]!.headers['x-request-id']).toBe(canary.headers.get('x-request-id'))
    expect(forwarded[0]!.headers.traceparent).toContain(canary.headers.get('x-trace-id'))
    expect(forwarded[0]!.headers['x-forwarded-for']).toBe('127.0.0.1')

    const product = await client.get('/api/products/foam-roller')
    const stock = await client.get<{ available: number }>('/api/inventory/foam-roller')
    expect(product.headers.get('x-shop-served-by')).toBe('ecommerce-ui/v1, product-catalog/v1')
    expect(stock.headers.get('x-shop-served-by')).toBe('ecommerce-ui/v1, product-inventory/v1')
    expect(stock.body.available).toBeGreaterThan(0)
  })

  it('offers the rating sort where product-catalog v2 answers, and falls back to name where v1 does', async () => {
    const client = new ShopClient(stack.ui.url)
    const fromV1 = await client.get<{ sort: string; items: { id: string }[] }>(
      '/api/products?sort=rating&pageSize=100',
    )
    expect(fromV1.status).toBe(200)
    expect(fromV1.body.sort).toBe('name')
    const names = fromV1.body.items.map((item) => item.id)
    expect(names).toHaveLength(products.length)

    const fromV2 = await client.get<{ sort: string; items: { rating: { average: number } }[] }>(
      '/api/products?sort=rating&pageSize=100',
      { 'x-canary': 'v2' },
    )
    expect(fromV2.body.sort).toBe('rating')
    const averages = fromV2.body.items.map((item) => item.rating.average)
    expect(averages).toEqual([...averages].sort((a, b) => b - a))
  })

  it('refuses every state-changing request without a valid CSRF token', async () => {
    const client = await signedUpClient(stack.ui.url)
    const attempts: [string, string, unknown][] = [
      ['POST', '/api/auth/signin', { email: 'someone@example.com', password: 'whatever-it-is' }],
      ['PUT', '/api/cart/items/foam-roller', { quantity: 1 }],
      ['DELETE', '/api/cart/items/foam-roller', undefined],
      ['POST', '/api/orders', { shippingMethod: 'standard' }],
      ['PUT', '/api/profile', { firstName: 'Mallory' }],
      ['POST', '/api/auth/signout', undefined],
      ['POST', '/api/no-such-route', {}],
    ]
    const before = stack.ordersRouter.requests.length
    for (const [method, path, body] of attempts) {
      const missing = await client.send<Problem>(method, path, {
        body,
        csrf: false,
        headers: { 'idempotency-key': 'csrf-test-key-1' },
      })
      expect(missing.status, `${method} ${path}`).toBe(403)
      expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/)
      expect(missing.body.requestId).toBe(missing.headers.get('x-request-id'))
      const forged = await client.send<Problem>(method, path, {
        body,
        csrf: false,
        headers: { 'x-csrf-token': 'forged' },
      })
      expect(forged.status, `${method} ${path}`).toBe(403)
    }
    // A token is only good with its own secret cookie: another browser's token is refused.
    const other = new ShopClient(stack.ui.url)
    const stolen = await client.send('PUT', '/api/cart/items/foam-roller', {
      body: { quantity: 1 },
      csrf: false,
      headers: { 'x-csrf-token': await other.token() },
    })
    expect(stolen.status).toBe(403)
    // None of it reached order-management, and the profile is unchanged.
    expect(stack.ordersRouter.requests.length).toBe(before)
    expect((await client.get<{ firstName: string }>('/api/profile')).body.firstName).toBe('Ada')
    expect((await client.send('PUT', '/api/cart/items/foam-roller', { body: { quantity: 1 } })).status).toBe(
      200,
    )
  })

  it('keeps the token in an httpOnly SameSite cookie and never shows it to the page', async () => {
    const client = new ShopClient(stack.ui.url)
    const account = newAccount()
    const signUp = await client.send<{ user: { email: string }; token?: string }>(
      'POST',
      '/api/auth/signup',
      {
        body: account,
      },
    )
    expect(signUp.status).toBe(201)
    expect(signUp.body.user.email).toBe(account.email)
    expect(signUp.text).not.toMatch(/token/i)
    const attributes = client.cookieAttributes.get('shop_session')!
    expect(attributes).toContain('HttpOnly')
    expect(attributes).toContain('SameSite=Lax')
    expect(attributes).toContain('Path=/')
    expect(attributes).not.toContain('Secure')
    expect(client.cookies.get('shop_session')).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/)
    expect(client.cookieAttributes.get('shop_csrf')).toEqual(
      expect.arrayContaining(['HttpOnly', 'SameSite=Strict']),
    )

    const session = await client.get<{ user: { email: string } | null }>('/api/session')
    expect(session.body.user?.email).toBe(account.email)
    const signOut = await client.send('POST', '/api/auth/signout')
    expect(signOut.status).toBe(204)
    expect(client.cookies.has('shop_session')).toBe(false)
    expect((await client.get<{ user: null }>('/api/session')).body.user).toBeNull()

    const signIn = await client.send('POST', '/api/auth/signin', {
      body: { email: account.email, password: account.password },
    })
    expect(signIn.status).toBe(200)
    expect((await client.get<{ user: { email: string } }>('/api/session')).body.user.email).toBe(
      account.email,
    )

    // Served over HTTPS (SECURE_COOKIES), both cookies are Secure.
    const secure = new ShopClient(strict.url)
    expect((await secure.send('POST', '/api/auth/signup', { body: newAccount() })).status).toBe(201)
    expect(secure.cookieAttributes.get('shop_session')).toContain('Secure')
    expect(secure.cookieAttributes.get('shop_csrf')).toContain('Secure')
  })

  it('forgets a session cookie the services no longer accept', async () => {
    const client = new ShopClient(stack.ui.url)
    client.cookies.set('shop_session', 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl')
    const session = await client.get<{ user: null }>('/api/session')
    expect(session.status).toBe(200)
    expect(session.body.user).toBeNull()
    expect(client.cookies.has('shop_session')).toBe(false)

    client.cookies.set('shop_session', 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl')
    const cart = await client.get<Problem>('/api/cart')
    expect(cart.status).toBe(401)
    expect(cart.body.detail).toMatch(/sign in again/)
    expect(client.cookies.has('shop_session')).toBe(false)
  })

  it('takes no price, total or user id from the browser', async () => {
    const alice = await signedUpClient(stack.ui.url)
    const bob = await signedUpClient(stack.ui.url)
    const bobToken = bob.cookies.get('shop_session')!

    // A price in the body is refused, and nothing changes.
    const priced = await alice.send<Problem>('PUT', '/api/cart/items/portable-ssd-1tb', {
      body: { quantity: 2, unitPrice: 1 },
    })
    expect(priced.status).toBe(400)
    expect((await alice.get<CartBody>('/api/cart')).body.items).toEqual([])

    // The person is the session's, whatever Authorization or user id the browser sends.
    const guest = new ShopClient(stack.ui.url)
    const asBob = await guest.get<Problem>('/api/cart', { authorization: `Bearer ${bobToken}` })
    expect(asBob.status).toBe(401)
    const added = await alice.send<CartBody>('PUT', '/api/cart/items/portable-ssd-1tb', {
      body: { quantity: 2 },
      headers: { authorization: `Bearer ${bobToken}`, 'x-user-id': 'bob' },
    })
    expect(added.status).toBe(200)
    expect((await bob.get<CartBody>('/api/cart')).body.items).toEqual([])
    expect(added.body.items).toEqual([
      expect.objectContaining({
        productId: 'portable-ssd-1tb',
        quantity: 2,
        unitPrice: priceOf('portable-ssd-1tb'),
      }),
    ])

    // An order body with prices, items or a user is refused; the real one is priced by the shop.
    for (const body of [
      { shippingMethod: 'standard', total: 1 },
      { shippingMethod: 'standard', items: [{ productId: 'portable-ssd-1tb', quantity: 2, unitPrice: 1 }] },
      { shippingMethod: 'standard', userId: 'bob' },
    ]) {
      const refused = await alice.send<Problem>('POST', '/api/orders', {
        body,
        headers: { 'idempotency-key': `refused-${Math.random().toString(36).slice(2)}` },
      })
      expect(refused.status, JSON.stringify(body)).toBe(400)
    }
    const placed = await alice.send<{ id: string; subtotal: number; shippingFee: number; total: number }>(
      'POST',
      '/api/orders',
      {
        body: { shippingMethod: 'standard', address: ADDRESS },
        headers: { 'idempotency-key': `order-${Date.now()}` },
      },
    )
    expect(placed.status, placed.text).toBe(201)
    expect(placed.body.subtotal).toBe(2 * priceOf('portable-ssd-1tb'))
    expect(placed.body.total).toBe(placed.body.subtotal + placed.body.shippingFee)
    expect((await bob.get<{ total: number }>('/api/orders')).body.total).toBe(0)
    expect((await bob.get<Problem>(`/api/orders/${placed.body.id}`)).status).toBe(404)
  })

  it('places an order once per idempotency key', async () => {
    const client = await signedUpClient(stack.ui.url)
    await client.send('PUT', '/api/cart/items/commuter-earbuds', { body: { quantity: 1 } })
    const key = `once-${Date.now()}`
    const order = {
      body: { shippingMethod: 'express', address: ADDRESS },
      headers: { 'idempotency-key': key },
    }
    const [first, second] = await Promise.all([
      client.send<{ id: string }>('POST', '/api/orders', order),
      client.send<{ id: string }>('POST', '/api/orders', order),
    ])
    // One answer is the order placed now (201), the other the same order replayed (200, marked).
    const [placed, replayed] = first.status === 201 ? [first, second] : [second, first]
    expect([placed.status, replayed.status]).toEqual([201, 200])
    expect(placed.headers.get('idempotent-replayed')).toBeNull()
    expect(replayed.headers.get('idempotent-replayed')).toBe('true')
    expect(second.body.id).toBe(first.body.id)
    expect((await client.get<{ total: number }>('/api/orders')).body.total).toBe(1)
  })

  it('turns a failing order-management into "we could not place your order" with the request id; the cart stays', async () => {
    const client = await signedUpClient(stack.ui.url)
    await client.send('PUT', '/api/cart/items/ergonomic-vertical-mouse', { body: { quantity: 3 } })
    stack.faultyOrders = true
    let failed
    try {
      failed = await client.send<Problem & { upstream: { servedBy: string; status: number } }>(
        'POST',
        '/api/orders',
        {
          body: { shippingMethod: 'standard', address: ADDRESS },
          headers: { 'idempotency-key': `faulty-${Date.now()}` },
        },
      )
    } finally {
      stack.faultyOrders = false
    }
    expect(failed.status).toBe(502)
    expect(failed.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    expect(failed.body.title).toBe('We could not place your order')
    expect(failed.body.detail).toMatch(/^Your cart is unchanged/)
    expect(failed.body.requestId).toBe(failed.headers.get('x-request-id'))
    expect(failed.body.upstream).toMatchObject({ servedBy: 'order-management/v2', status: 500 })
    expect(failed.headers.get('x-shop-served-by')).toContain('order-management/v2')

    const cart = await client.get<CartBody>('/api/cart')
    expect(cart.body.items).toEqual([
      expect.objectContaining({ productId: 'ergonomic-vertical-mouse', quantity: 3 }),
    ])
    expect((await client.get<{ total: number }>('/api/orders')).body.total).toBe(0)
  })

  it('answers an unreachable service with a 502 problem naming it, and the request id', async () => {
    const client = new ShopClient(strict.url)
    const methods = await client.get<Problem & { upstream: { service: string } }>('/api/shipping/methods')
    expect(methods.status).toBe(502)
    expect(methods.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    expect(methods.body.upstream.service).toBe('shipping-and-handling')
    expect(methods.body.requestId).toBe(methods.headers.get('x-request-id'))
    expect(methods.headers.get('x-shop-served-by')).toBe('ecommerce-ui/v1')
  })

  it('links the request to its trace in Jaeger when JAEGER_UI_URL is set', async () => {
    const plain = await new ShopClient(stack.ui.url).get('/api/categories')
    expect(plain.headers.get('x-shop-trace-url')).toBeNull()
    const linked = await new ShopClient(strict.url).get('/api/categories')
    const traceId = linked.headers.get('x-trace-id')
    expect(traceId).toMatch(/^[0-9a-f]{32}$/)
    expect(linked.headers.get('x-shop-trace-url')).toBe(`http://jaeger.example:16686/trace/${traceId}`)
  })

  it('limits sign-in attempts per client address, which a made-up X-Forwarded-For does not change', async () => {
    const client = new ShopClient(strict.url)
    const statuses: number[] = []
    for (let attempt = 0; attempt < 4; attempt++) {
      const answer = await client.send('POST', '/api/auth/signin', {
        body: { email: 'nobody@example.com', password: `guess-${attempt}` },
        headers: { 'x-forwarded-for': `203.0.113.${attempt}` },
      })
      statuses.push(answer.status)
    }
    expect(statuses).toEqual([401, 401, 401, 429])
  })

  it('marks cookies Secure by default when the request came over HTTPS through the ingress', async () => {
    const overHttps = new ShopClient(behindIngress.url)
    const headers = { 'x-forwarded-for': '203.0.113.20', 'x-forwarded-proto': 'https' }
    const signUp = await overHttps.send('POST', '/api/auth/signup', { body: newAccount(), headers })
    expect(signUp.status).toBe(201)
    expect(overHttps.cookieAttributes.get('shop_session')).toContain('Secure')
    const csrfOverHttps = new ShopClient(behindIngress.url)
    await csrfOverHttps.get('/api/csrf-token', headers)
    expect(csrfOverHttps.cookieAttributes.get('shop_csrf')).toContain('Secure')

    const overHttp = new ShopClient(behindIngress.url)
    const plain = { 'x-forwarded-for': '203.0.113.21', 'x-forwarded-proto': 'http' }
    expect(
      (await overHttp.send('POST', '/api/auth/signup', { body: newAccount(), headers: plain })).status,
    ).toBe(201)
    expect(overHttp.cookieAttributes.get('shop_session')).not.toContain('Secure')
  })

  it('hides /metrics, /docs and /openapi.json from requests that came through the ingress', async () => {
    const client = new ShopClient(behindIngress.url)
    for (const path of ['/metrics', '/openapi.json', '/docs', '/docs/static/index.html']) {
      const outside = await client.get(path, { 'x-forwarded-for': '203.0.113.30' })
      expect(outside.status, path).toBe(404)
      expect(outside.headers.get('content-type'), path).toMatch(/^application\/problem\+json/)
      expect((await client.get(path)).status, path).not.toBe(404)
    }
    expect((await client.get('/metrics')).text).toContain('http_requests_total')
  })

  it('answers a known path asked with another method 405 with Allow, and a malformed URL 400 problem+json', async () => {
    const client = new ShopClient(stack.ui.url)
    const wrongMethod = await client.send('PATCH', '/api/orders', { csrf: true })
    expect(wrongMethod.status).toBe(405)
    expect(wrongMethod.headers.get('allow')).toBe('GET, HEAD, POST')
    // The page answers every other GET, yet a POST-only path does not advertise GET.
    const postOnly = await client.get('/api/auth/signin')
    expect(postOnly.status).toBe(405)
    expect(postOnly.headers.get('allow')).toBe('POST')
    expect((await client.get('/api/no-such-thing')).status).toBe(404)
    const malformed = await client.get('/api/orders/%c0')
    expect(malformed.status).toBe(400)
    expect(malformed.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    expect(malformed.body).toMatchObject({ status: 400, requestId: malformed.headers.get('x-request-id') })
    expect(malformed.headers.get('x-served-by')).toBe('ecommerce-ui/v1')
  })

  it('documents its browser-facing API in OpenAPI', async () => {
    const { body } = await new ShopClient(stack.ui.url).get<{
      paths: Record<string, Record<string, unknown>>
    }>('/openapi.json')
    for (const [path, method] of [
      ['/api/products', 'get'],
      ['/api/products/{id}', 'get'],
      ['/api/inventory/{productId}', 'get'],
      ['/api/shipping/quote', 'post'],
      ['/api/auth/signup', 'post'],
      ['/api/auth/signin', 'post'],
      ['/api/cart/items/{productId}', 'put'],
      ['/api/cart/quote', 'get'],
      ['/api/orders', 'post'],
      ['/api/tickets', 'post'],
    ] as const)
      expect(body.paths[path]?.[method], `${method} ${path}`).toBeDefined()
    expect(body.paths['/*']).toBeUndefined()
  })
})
