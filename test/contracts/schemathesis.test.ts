import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { APP_NAMES, type AppName } from '@shop/contracts'
import { callJson, repoRoot, startStack, type Stack } from '@shop/test-support'

const run = promisify(execFile)

/**
 * Schemathesis (from PyPI, installed by .ci/install-schemathesis) generates requests from every
 * OpenAPI document of the shop and checks every answer against it, with all of its checks, on a
 * fixed seed and 10 examples an operation: about three minutes for the nine runs on two cores.
 * Per-operation exceptions, each with its reason, are in schemathesis.toml next to this file.
 *
 * The shop runs whole, so that the services that verify tokens find profile-management's JWKS and the
 * BFF reaches every service. Tokens are real: a person signed up at profile-management (for the
 * services, as `Authorization: Bearer`), another signed up through the BFF (its session cookie).
 */
const CONFIG_FILE = `${repoRoot}test/contracts/schemathesis.toml`
const SEED = '20261130'

/** Limits high enough that the generated requests reach the logic instead of a 429. */
const GENEROUS_LIMITS: StackEnv = {
  'profile-management': { AUTH_ATTEMPTS_PER_CLIENT_PER_MINUTE: '100000' },
  'contact-support-team': { TICKET_RATE_LIMIT_MAX: '10000' },
  'ecommerce-ui': { AUTH_RATE_LIMIT_PER_MINUTE: '10000' },
}
type StackEnv = Partial<Record<AppName, Record<string, string>>>

interface Run {
  name: string
  app: AppName
  /** Headers schemathesis sends with every request (credentials). */
  headers: () => Record<string, string>
}

describe('the OpenAPI documents hold against schemathesis', { timeout: 900_000 }, () => {
  let schemathesis: string
  let stack: Stack
  let bearer = ''
  let signedOut: Record<string, string> = {}
  let signedIn: Record<string, string> = {}

  const RUNS: Run[] = [
    { name: 'product-catalog', app: 'product-catalog', headers: () => ({}) },
    { name: 'shipping-and-handling', app: 'shipping-and-handling', headers: () => ({}) },
    { name: 'product-inventory', app: 'product-inventory', headers: () => ({}) },
    { name: 'profile-management', app: 'profile-management', headers: () => withBearer() },
    { name: 'order-management', app: 'order-management', headers: () => withBearer() },
    { name: 'contact-support-team', app: 'contact-support-team', headers: () => withBearer() },
    { name: 'ecommerce-ui signed out', app: 'ecommerce-ui', headers: () => signedOut },
    { name: 'ecommerce-ui signed in', app: 'ecommerce-ui', headers: () => signedIn },
  ]
  // Spelled `Authorization`: schemathesis drops its credentials by that name to check they are needed.
  const withBearer = () => ({ Authorization: `Bearer ${bearer}` })

  beforeAll(async () => {
    const installed = await run(`${repoRoot}.ci/install-schemathesis`, [], { timeout: 600_000 })
    schemathesis = installed.stdout.trim()
    stack = await startStack({ apps: APP_NAMES, env: GENEROUS_LIMITS })

    const person = { password: 'correct horse battery staple', firstName: 'Sam', lastName: 'Thesis' }
    const signUp = await callJson<{ token: string }>(`${stack.url('profile-management')}/api/auth/signup`, {
      method: 'POST',
      body: { ...person, email: 'schemathesis-service@example.com' },
    })
    expect(signUp.status).toBe(201)
    bearer = signUp.body.token
    // Something in the cart, so that placing an order can succeed at least once.
    const catalog = await callJson<{ items: { id: string }[] }>(
      `${stack.url('product-catalog')}/api/products`,
    )
    const putLine = await callJson(
      `${stack.url('order-management')}/api/cart/items/${catalog.body.items[0]!.id}`,
      { method: 'PUT', headers: withBearer(), body: { quantity: 1 } },
    )
    expect(putLine.status).toBe(200)

    signedOut = await bffCredentials(stack.url('ecommerce-ui'))
    signedIn = await bffCredentials(stack.url('ecommerce-ui'), {
      ...person,
      email: 'schemathesis-bff@example.com',
    })
  }, 900_000)

  afterAll(async () => {
    await stack?.stop()
  })

  it.each(RUNS)('$name: no failures with all checks', async ({ app, headers }) => {
    const args = ['--config-file', CONFIG_FILE, 'run', `${stack.url(app)}/openapi.json`]
    args.push('--checks', 'all', '--max-examples', '10', '--no-color')
    // A fixed seed: CI fails on a finding, never on the draw; change the seed to explore further.
    args.push('--seed', SEED)
    for (const [name, value] of Object.entries(headers())) args.push('--header', `${name}: ${value}`)
    const result = await run(schemathesis, args, {
      cwd: process.env.TMPDIR ?? '/tmp',
      timeout: 300_000,
      maxBuffer: 64 * 1024 * 1024,
    }).then(
      (done) => ({ code: 0, output: done.stdout }),
      (failed: { code?: number; stdout?: string; stderr?: string }) => ({
        code: failed.code ?? 1,
        output: `${failed.stdout ?? ''}${failed.stderr ?? ''}`,
      }),
    )
    expect(result.code, result.output).toBe(0)
  })

  it('the BFF documents every client error of the service operation it passes on', async () => {
    const bff = await openApi(stack.url('ecommerce-ui'))
    const missing: string[] = []
    let compared = 0
    for (const service of APP_NAMES.filter((app) => app !== 'ecommerce-ui')) {
      const document = await openApi(stack.url(service))
      for (const [path, operations] of Object.entries(bff.paths))
        for (const [method, operation] of Object.entries(operations)) {
          const behind = document.paths[path]?.[method]
          if (!behind) continue
          compared++
          for (const status of Object.keys(behind.responses))
            if (/^4\d\d$/.test(status) && !(status in operation.responses))
              missing.push(`${method.toUpperCase()} ${path}: ${status} (from ${service})`)
        }
    }
    expect(compared).toBeGreaterThan(20)
    expect(missing).toEqual([])
  })

  it('the BFF refuses exactly the ticket and order ids the services refuse', async () => {
    const bff = await openApi(stack.url('ecommerce-ui'))
    for (const [path, service] of [
      ['/api/tickets/{id}', 'contact-support-team'],
      ['/api/orders/{id}', 'order-management'],
    ] as const) {
      const behind = await openApi(stack.url(service))
      expect(parameters(bff, path), path).toEqual(parameters(behind, path))
    }
    const ui = stack.url('ecommerce-ui')
    // An order id is no ticket id: refused by the BFF itself, as the service would.
    const notATicket = await callJson(`${ui}/api/tickets/ORD-0123456789AB`, { headers: signedIn })
    expect(notATicket.status).toBe(400)
    expect(notATicket.body).toMatchObject({ errors: [{ in: 'params', path: '/id' }] })
    expect(notATicket.headers.get('x-shop-served-by')).not.toContain('contact-support-team')
    // A well-formed id reaches the service, which has no such ticket for this person.
    const unknown = await callJson(`${ui}/api/tickets/TK0123456789AB`, { headers: signedIn })
    expect(unknown.status).toBe(404)
    expect(unknown.headers.get('x-shop-served-by')).toContain('contact-support-team/v1')
  })
})

interface OpenApi {
  paths: Record<string, Record<string, { parameters?: unknown[]; responses: Record<string, unknown> }>>
}

async function openApi(url: string): Promise<OpenApi> {
  return (await callJson<OpenApi>(`${url}/openapi.json`)).body
}

function parameters(document: OpenApi, path: string): unknown {
  return document.paths[path]?.get?.parameters
}

/**
 * What the page holds: the CSRF cookie and its token (sent as `x-csrf-token`), and after a sign-up
 * through the BFF, the session cookie.
 */
async function bffCredentials(
  bff: string,
  signUp?: { email: string; password: string; firstName: string; lastName: string },
): Promise<Record<string, string>> {
  const csrf = await fetch(`${bff}/api/csrf-token`)
  const { token } = (await csrf.json()) as { token: string }
  const cookies = cookiesOf(csrf)
  if (signUp) {
    const signedUp = await fetch(`${bff}/api/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': token, cookie: cookieHeader(cookies) },
      body: JSON.stringify(signUp),
    })
    expect(signedUp.status).toBe(201)
    Object.assign(cookies, cookiesOf(signedUp))
    expect(cookies.shop_session).toBeTruthy()
  }
  return { 'x-csrf-token': token, cookie: cookieHeader(cookies) }
}

function cookiesOf(response: Response): Record<string, string> {
  return Object.fromEntries(
    response.headers.getSetCookie().map((line) => {
      const [pair] = line.split(';')
      const at = pair!.indexOf('=')
      return [pair!.slice(0, at), pair!.slice(at + 1)]
    }),
  )
}

function cookieHeader(cookies: Record<string, string>): string {
  return Object.entries(cookies)
    .map(([name, value]) => `${name}=${value}`)
    .join('; ')
}
