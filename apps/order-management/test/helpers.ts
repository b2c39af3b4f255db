import { randomUUID } from 'node:crypto'
import { exportPKCS8, generateKeyPair, SignJWT } from 'jose'
import { TOKEN_AUDIENCE, TOKEN_ISSUER, type Order } from '@shop/contracts'
import { callJson, type JsonAnswer, type JsonRequest, type Stack } from '@shop/test-support'

export const ADDRESS = {
  line1: '1 Market St',
  city: 'San Francisco',
  region: 'CA',
  postalCode: '94105',
  country: 'US',
}

/** A placed order of one foam roller, as stored: for tests and benches that fill a history directly. */
export function storedOrder(id: string, trackingNumber: string, createdAt: Date): Order {
  return {
    id,
    status: 'placed',
    items: [
      {
        productId: 'foam-roller',
        name: 'Foam Roller',
        image: '/x.png',
        unitPrice: 2900,
        quantity: 1,
        lineTotal: 2900,
      },
    ],
    subtotal: 2900,
    shippingFee: 500,
    total: 3400,
    currency: 'USD',
    shippingMethod: 'standard',
    address: ADDRESS,
    trackingNumber,
    createdAt: createdAt.toISOString(),
  }
}

/** A signing key for profile-management, so the test can also mint tokens it would never issue. */
export async function signingKey() {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true })
  return {
    pem: await exportPKCS8(privateKey),
    /** A token signed with the real key but already expired. */
    expiredToken: (userId: string) =>
      new SignJWT({ email: 'late@example.com' })
        .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
        .setSubject(userId)
        .setIssuer(TOKEN_ISSUER)
        .setAudience(TOKEN_AUDIENCE)
        .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
        .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
        .sign(privateKey),
  }
}

type Body = Record<string, unknown> & { items?: Record<string, unknown>[] }

/** A JSON call to one of the stack's apps. */
export function call(url: string, path: string, request: JsonRequest = {}): Promise<JsonAnswer<Body>> {
  return callJson<Body>(`${url}${path}`, request)
}

/** Signs up a fresh user and answers their id and token. */
export async function signUp(
  stack: Stack,
  name = 'shopper',
): Promise<{ userId: string; token: string; email: string }> {
  const email = `${name}-${randomUUID().slice(0, 8)}@example.com`
  const { status, body } = await call(stack.url('profile-management'), '/api/auth/signup', {
    method: 'POST',
    body: { email, password: 'correct horse battery', firstName: 'Test', lastName: name, address: ADDRESS },
  })
  if (status !== 201) throw new Error(`sign-up failed: ${status} ${JSON.stringify(body)}`)
  const session = body as { user: { id: string }; token: string }
  return { userId: session.user.id, token: session.token, email }
}

export async function stockOf(stack: Stack, productId: string): Promise<number> {
  const { body } = await call(stack.url('product-inventory'), `/api/inventory/${productId}`)
  return body.available as number
}

export async function setCartLine(
  stack: Stack,
  token: string,
  productId: string,
  quantity: number,
): Promise<JsonAnswer<Body>> {
  return call(stack.url('order-management'), `/api/cart/items/${productId}`, {
    method: 'PUT',
    token,
    body: { quantity },
  })
}

export async function placeOrder(
  stack: Stack,
  token: string,
  key: string,
  body: unknown = { shippingMethod: 'standard' },
  ordersUrl = stack.url('order-management'),
) {
  return call(ordersUrl, '/api/orders', {
    method: 'POST',
    token,
    body,
    headers: { 'idempotency-key': key },
  })
}
