import { createServer, type Server } from 'node:http'
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose'
import { MongoClient, type Collection } from 'mongodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TOKEN_AUDIENCE, TOKEN_ISSUER, type Ticket } from '@shop/contracts'
import type { Problem } from '@shop/service-kit'
import {
  callJson,
  expectProblem,
  mongoUri,
  startApp,
  uniqueDatabaseName,
  type StartedApp,
} from '@shop/test-support'

/** Stands in for profile-management as the outside signer: a key pair and its JWKS. */
async function startSigner(): Promise<{
  url: string
  sign: (sub: string, expiresIn?: string) => Promise<string>
  server: Server
}> {
  const { privateKey, publicKey } = await generateKeyPair('RS256')
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' }
  const server = createServer((request, response) => {
    if (request.url !== '/.well-known/jwks.json') return response.writeHead(404).end()
    response.writeHead(200, { 'content-type': 'application/json' })
    response.end(JSON.stringify({ keys: [jwk] }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  return { url, server, sign: (sub, expiresIn) => signToken(privateKey, sub, expiresIn) }
}

function signToken(key: CryptoKey, sub: string, expiresIn = '1h'): Promise<string> {
  return new SignJWT({ email: `${sub}@example.com` })
    .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
    .setSubject(sub)
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(key)
}

let addresses = 0
/** A client address of its own (sent as X-Forwarded-For), so tests never share a rate-limit budget. */
const newAddress = () => `203.0.113.${++addresses}`

function call<T>(
  app: StartedApp,
  path: string,
  options: { body?: unknown; token?: string; address?: string; headers?: Record<string, string> } = {},
) {
  const { address = newAddress(), headers, ...request } = options
  return callJson<T>(`${app.url}${path}`, { ...request, headers: { 'x-forwarded-for': address, ...headers } })
}

let tickets = 0
const ticketRequest = (overrides: Record<string, unknown> = {}) => ({
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  subject: `Where is my order? (${++tickets})`,
  message: 'My order has not arrived yet. Could you check where it is?',
  ...overrides,
})

describe('contact-support-team', () => {
  let app: StartedApp
  let signer: Awaited<ReturnType<typeof startSigner>>
  let client: MongoClient
  let database: string
  let stored: Collection

  beforeAll(async () => {
    signer = await startSigner()
    const uri = await mongoUri()
    database = uniqueDatabaseName('support')
    client = new MongoClient(uri)
    stored = client.db(database).collection('tickets')
    app = await startApp('contact-support-team', {
      env: {
        MONGODB_URI: uri,
        MONGODB_DATABASE: database,
        PROFILE_MANAGEMENT_URL: signer.url,
        // The tests stand as the one proxy in front: each sends its own client address.
        TRUSTED_PROXY_HOPS: '1',
      },
    })
  })

  afterAll(async () => {
    await app?.stop()
    await new Promise((resolve) => signer?.server.close(resolve))
    await client?.db(database).dropDatabase()
    await client?.close()
  })

  it('opens a ticket for a guest', async () => {
    const request = ticketRequest({ orderId: 'order-123' })
    const { status, headers, body } = await call<Ticket>(app, '/api/tickets', { body: request })
    expect(status).toBe(201)
    expect(headers.get('x-served-by')).toBe('contact-support-team/v1')
    expect(body).toMatchObject({ ...request, status: 'open', id: expect.stringMatching(/^TK[0-9A-Z]{12}$/) })
    expect(headers.get('location')).toBe(`/api/tickets/${body.id}`)
    expect(Date.parse(body.createdAt)).not.toBeNaN()
    expect(await stored.findOne({ _id: body.id } as object)).toMatchObject({
      userId: null,
      subject: request.subject,
    })
  })

  it("links a signed-in user's tickets to them and lists them, newest first", async () => {
    const token = await signer.sign('user-ada')
    const first = await call<Ticket>(app, '/api/tickets', { body: ticketRequest(), token })
    // Tickets of the same millisecond have no order between them; these two must have one.
    await new Promise((resolve) => setTimeout(resolve, 5))
    const second = await call<Ticket>(app, '/api/tickets', { body: ticketRequest(), token })
    expect([first.status, second.status]).toEqual([201, 201])
    expect(await stored.countDocuments({ userId: 'user-ada' })).toBe(2)

    const list = await call<{ items: Ticket[]; total: number }>(app, '/api/tickets', { token })
    expect(list.status).toBe(200)
    expect(list.body.total).toBe(2)
    expect(list.body.items.map((ticket) => ticket.id)).toEqual([second.body.id, first.body.id])
    const one = await call<Ticket>(app, `/api/tickets/${first.body.id}`, { token })
    expect(one.status).toBe(200)
    expect(one.body).toEqual(first.body)
    const paged = await call<{ items: Ticket[]; total: number }>(app, '/api/tickets?pageSize=1&page=2', {
      token,
    })
    expect(paged.body).toEqual({ items: [first.body], total: 2 })
  })

  it("never shows one user's tickets to another", async () => {
    const owner = await signer.sign('user-grace')
    const other = await signer.sign('user-mallory')
    const { body: ticket } = await call<Ticket>(app, '/api/tickets', { body: ticketRequest(), token: owner })
    const guest = await call<Ticket>(app, '/api/tickets', { body: ticketRequest() })

    const list = await call<{ items: Ticket[]; total: number }>(app, '/api/tickets', { token: other })
    expect(list.status).toBe(200)
    expect(list.body).toEqual({ items: [], total: 0 })
    for (const id of [ticket.id, guest.body.id]) {
      const read = await call<Problem>(app, `/api/tickets/${id}`, { token: other })
      expectProblem(read, 404, id)
      expect(read.body.type).toBe('urn:shop:problem:ticket-not-found')
    }
    // Not found and not yours answer alike, so ids cannot be probed.
    const unknown = await call<Problem>(app, '/api/tickets/TK000000000000', { token: other })
    expect({ ...unknown.body, requestId: '', detail: '' }).toEqual({
      ...(await call<Problem>(app, `/api/tickets/${ticket.id}`, { token: other })).body,
      requestId: '',
      detail: '',
    })
  })

  it('answers 401 to reading tickets without a valid token', async () => {
    const { body: ticket } = await call<Ticket>(app, '/api/tickets', { body: ticketRequest() })
    expectProblem(await call(app, '/api/tickets'), 401, 'list, no token')
    expectProblem(await call(app, `/api/tickets/${ticket.id}`), 401, 'one, no token')
    expectProblem(await call(app, '/api/tickets', { headers: { authorization: 'Basic YTpi' } }), 401, 'basic')
  })

  it('answers 401 to a forged or expired token when opening a ticket, and stores nothing', async () => {
    const before = await stored.countDocuments()
    const forger = await generateKeyPair('RS256')
    const forged = await signToken(forger.privateKey, 'user-ada')
    const expired = await signer.sign('user-ada', '-1m')
    for (const [label, token] of [
      ['forged', forged],
      ['expired', expired],
      ['garbage', 'not.a.token'],
    ]) {
      const answer = await call<Problem>(app, '/api/tickets', { body: ticketRequest(), token })
      expectProblem(answer, 401, label!)
    }
    expect(await stored.countDocuments()).toBe(before)
  })

  it('limits how many tickets a client opens: per address for guests, per user when signed in', async () => {
    const address = newAddress()
    const opened = []
    for (let i = 0; i < 5; i++)
      opened.push((await call(app, '/api/tickets', { body: ticketRequest(), address })).status)
    expect(opened).toEqual([201, 201, 201, 201, 201])
    const limited = await call<Problem>(app, '/api/tickets', { body: ticketRequest(), address })
    expectProblem(limited, 429, 'sixth guest ticket')
    expect(limited.body.type).toBe('urn:shop:problem:rate-limited')
    const retryAfter = Number(limited.headers.get('retry-after'))
    expect(retryAfter).toBeGreaterThan(0)
    expect(retryAfter).toBeLessThanOrEqual(600)
    // Another address has its own budget; a signed-in user at the limited address has theirs.
    expect((await call(app, '/api/tickets', { body: ticketRequest() })).status).toBe(201)
    const token = await signer.sign('user-busy')
    expect((await call(app, '/api/tickets', { body: ticketRequest(), token, address })).status).toBe(201)
    // A user's budget follows them from address to address.
    for (let i = 0; i < 4; i++)
      expect((await call(app, '/api/tickets', { body: ticketRequest(), token })).status).toBe(201)
    expectProblem(await call(app, '/api/tickets', { body: ticketRequest(), token }), 429, 'sixth user ticket')
    expect(await stored.countDocuments({ userId: 'user-busy' })).toBe(5)
  })

  it('answers bad tickets with 400 problems and stores nothing', async () => {
    const before = await stored.countDocuments()
    const token = await signer.sign('user-careless')
    const cases: [string, unknown][] = [
      ['message too long', ticketRequest({ message: 'x'.repeat(5001) })],
      ['subject too long', ticketRequest({ subject: 'x'.repeat(121) })],
      ['message too short', ticketRequest({ message: 'help' })],
      ['message only blanks', ticketRequest({ message: ' '.repeat(20) })],
      ['missing subject', ticketRequest({ subject: undefined })],
      ['missing name', ticketRequest({ name: undefined })],
      ['bad e-mail', ticketRequest({ email: 'ada-at-example.com' })],
      ['extra field', ticketRequest({ priority: 'urgent' })],
      ['bad order id', ticketRequest({ orderId: 'not an id!' })],
      ['not an object', ['a ticket']],
    ]
    for (const [label, body] of cases) {
      expectProblem(await call(app, '/api/tickets', { body }), 400, `guest: ${label}`)
      expectProblem(await call(app, '/api/tickets', { body, token }), 400, `user: ${label}`)
    }
    expectProblem(
      await call(app, '/api/tickets', { body: ticketRequest(), headers: { 'idempotency-key': 'short' } }),
      400,
      'bad idempotency key',
    )
    expect(await stored.countDocuments()).toBe(before)
    // Refused requests do not use up the client's budget.
    expect((await call(app, '/api/tickets', { body: ticketRequest(), token })).status).toBe(201)
  })

  it('opens one ticket per Idempotency-Key, however often the request is repeated', async () => {
    const token = await signer.sign('user-retry')
    const request = ticketRequest()
    const headers = { 'idempotency-key': 'retry-key-0001' }
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => call<Ticket>(app, '/api/tickets', { body: request, token, headers })),
    )
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 200, 201])
    expect(new Set(answers.map((answer) => answer.body.id)).size).toBe(1)
    expect(await stored.countDocuments({ userId: 'user-retry' })).toBe(1)

    const changed = await call<Problem>(app, '/api/tickets', {
      body: { ...request, message: 'Something else entirely, this time.' },
      token,
      headers,
    })
    expectProblem(changed, 422, 'same key, other ticket')
    // The same key from someone else is theirs alone: a ticket of their own.
    const stranger = await call<Ticket>(app, '/api/tickets', {
      body: request,
      token: await signer.sign('user-x'),
      headers,
    })
    expect(stranger.status).toBe(201)
    expect(stranger.body.id).not.toBe(answers[0]!.body.id)
    expect(await stored.countDocuments({ userId: 'user-retry' })).toBe(1)
  })

  it('tells how to reach support', async () => {
    const { status, body } = await call<Record<string, unknown>>(app, '/api/support/info')
    expect(status).toBe(200)
    expect(body).toMatchObject({
      hours: expect.any(String),
      timezone: expect.stringMatching(/^[A-Za-z]+\/[A-Za-z_]+$/),
      email: expect.stringContaining('@'),
      phone: expect.any(String),
      expectedResponseHours: expect.any(Number),
    })
    expect((body.topics as string[]).length).toBeGreaterThan(0)
  })

  it('refuses to start without a database', async () => {
    await expect(startApp('contact-support-team', { env: {} })).rejects.toThrow(
      /MONGODB_URI or MONGODB_HOST is required/,
    )
  })
})
