import { testDatabase, type TestDatabase, type StartedApp } from '@shop/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, newSignUp, signIn, signUp, startProfiles, type ProblemView } from './helpers.js'

const FAILURES_PER_EMAIL = 3
const WINDOW_SECONDS = 600

function expectTooMany(reply: Awaited<ReturnType<typeof signIn>>, maxSeconds: number) {
  expect(reply.status).toBe(429)
  expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/)
  const problem = reply.body as unknown as ProblemView
  expect(problem).toMatchObject({ status: 429, title: 'Too many attempts', requestId: expect.any(String) })
  const retryAfter = Number(reply.headers.get('retry-after'))
  expect(retryAfter).toBeGreaterThan(0)
  expect(retryAfter).toBeLessThanOrEqual(maxSeconds)
}

describe('profile-management sign-in rate limits', () => {
  let database: TestDatabase
  let perEmail: StartedApp
  let perClient: StartedApp
  let behindProxy: StartedApp
  let lockOut: StartedApp

  beforeAll(async () => {
    database = await testDatabase('profile_limits')
    const common = { ...database.env, SIGNIN_FAILURE_WINDOW_SECONDS: String(WINDOW_SECONDS) }
    ;[perEmail, perClient, behindProxy, lockOut] = await Promise.all([
      startProfiles({
        ...common,
        SIGNIN_FAILURES_PER_EMAIL: String(FAILURES_PER_EMAIL),
        AUTH_ATTEMPTS_PER_CLIENT_PER_MINUTE: '100000',
      }),
      startProfiles({
        ...common,
        SIGNIN_FAILURES_PER_EMAIL: '1000',
        AUTH_ATTEMPTS_PER_CLIENT_PER_MINUTE: '4',
      }),
      startProfiles({
        ...common,
        SIGNIN_FAILURES_PER_EMAIL: '1000',
        AUTH_ATTEMPTS_PER_CLIENT_PER_MINUTE: '2',
        TRUSTED_PROXY_HOPS: '1',
      }),
      startProfiles({
        ...common,
        SIGNIN_FAILURES_PER_EMAIL: String(FAILURES_PER_EMAIL),
        SIGNIN_FAILURES_PER_EMAIL_ALL_CLIENTS: String(2 * FAILURES_PER_EMAIL),
        AUTH_ATTEMPTS_PER_CLIENT_PER_MINUTE: '100000',
        TRUSTED_PROXY_HOPS: '1',
      }),
    ])
  })

  afterAll(async () => {
    await Promise.all([perEmail?.stop(), perClient?.stop(), behindProxy?.stop(), lockOut?.stop()])
    await database?.drop()
  })

  it('after the failures allowed for an e-mail, answers 429 with Retry-After, even to the right password', async () => {
    const victim = newSignUp()
    const bystander = newSignUp()
    await Promise.all([signUp(perEmail, victim), signUp(perEmail, bystander)])

    for (let attempt = 0; attempt < FAILURES_PER_EMAIL; attempt++)
      expect((await signIn(perEmail, victim.email, `guess-${attempt}`)).status).toBe(401)
    expectTooMany(await signIn(perEmail, victim.email, victim.password), WINDOW_SECONDS)
    expectTooMany(await signIn(perEmail, victim.email.toUpperCase(), 'another-guess'), WINDOW_SECONDS)

    // Per e-mail: another account from the same address is untouched.
    expect((await signIn(perEmail, bystander.email, bystander.password)).status).toBe(200)
  })

  it("a stranger's failures lock out the stranger, not the owner signing in from elsewhere; many strangers lock the e-mail", async () => {
    const owner = newSignUp()
    await signUp(lockOut, owner)
    const from = (address: string, password: string) =>
      call<Awaited<ReturnType<typeof signIn>>['body']>(lockOut, 'POST', '/api/auth/signin', {
        body: { email: owner.email, password },
        headers: { 'x-forwarded-for': address },
      })
    for (let attempt = 0; attempt < FAILURES_PER_EMAIL; attempt++)
      expect((await from('203.0.113.66', `guess-${attempt}`)).status).toBe(401)
    expectTooMany(await from('203.0.113.66', owner.password), WINDOW_SECONDS)
    expect((await from('198.51.100.7', owner.password)).status).toBe(200)

    // Guessing spread over addresses meets the limit for all clients together.
    for (let attempt = 0; attempt < FAILURES_PER_EMAIL; attempt++)
      expect((await from(`203.0.113.${100 + attempt}`, `spread-${attempt}`)).status).toBe(401)
    expectTooMany(await from('198.51.100.7', owner.password), WINDOW_SECONDS)
  })

  it('counts only failures: successful sign-ins never use up the allowance', async () => {
    const user = newSignUp()
    await signUp(perEmail, user)
    for (let attempt = 0; attempt < FAILURES_PER_EMAIL + 3; attempt++)
      expect((await signIn(perEmail, user.email, user.password)).status).toBe(200)
    for (let attempt = 0; attempt < FAILURES_PER_EMAIL - 1; attempt++)
      expect((await signIn(perEmail, user.email, 'wrong-password')).status).toBe(401)
    expect((await signIn(perEmail, user.email, user.password)).status).toBe(200)
  })

  it('limits unknown e-mails the same way, so the limit does not reveal which have accounts', async () => {
    const nobody = newSignUp().email
    for (let attempt = 0; attempt < FAILURES_PER_EMAIL; attempt++)
      expect((await signIn(perEmail, nobody, `guess-${attempt}`)).status).toBe(401)
    expectTooMany(await signIn(perEmail, nobody, 'guess'), WINDOW_SECONDS)
  })

  it('a burst of concurrent guesses gets exactly the allowed failures, the rest 429', async () => {
    const user = newSignUp()
    await signUp(perEmail, user)
    const replies = await Promise.all(
      Array.from({ length: 10 }, (_, attempt) => signIn(perEmail, user.email, `burst-${attempt}`)),
    )
    const statuses = replies.map((reply) => reply.status)
    expect(statuses.filter((status) => status === 401)).toHaveLength(FAILURES_PER_EMAIL)
    expect(statuses.filter((status) => status === 429)).toHaveLength(10 - FAILURES_PER_EMAIL)
  })

  it('limits every attempt per client address, across e-mails, with a 429 problem and Retry-After', async () => {
    const replies = []
    for (let attempt = 0; attempt < 4; attempt++) {
      const reply = await signIn(perClient, newSignUp().email, 'guess')
      expect(reply.status).toBe(401)
      expect(reply.headers.get('x-ratelimit-remaining')).toBe(String(3 - attempt))
      replies.push(reply)
    }
    const blocked = await signIn(perClient, newSignUp().email, 'guess')
    expectTooMany(blocked, 60)
    expect(blocked.body).toMatchObject({ type: 'urn:shop:problem:rate-limited' })
    // Without trusted proxies, X-Forwarded-For is the client's own claim and changes nothing.
    const spoofed = await call(perClient, 'POST', '/api/auth/signin', {
      body: { email: newSignUp().email, password: 'guess' },
      headers: { 'x-forwarded-for': '203.0.113.9' },
    })
    expect(spoofed.status).toBe(429)
    // Sign-up has an allowance of its own.
    expect((await signUp(perClient, newSignUp())).status).toBe(201)
  })

  it('behind trusted proxies, tells clients apart by X-Forwarded-For', async () => {
    const attempt = (forwardedFor: string) =>
      call(behindProxy, 'POST', '/api/auth/signin', {
        body: { email: newSignUp().email, password: 'guess' },
        headers: { 'x-forwarded-for': forwardedFor },
      })
    expect((await attempt('198.51.100.1')).status).toBe(401)
    expect((await attempt('198.51.100.1')).status).toBe(401)
    expect((await attempt('198.51.100.1')).status).toBe(429)
    // A client cannot escape by prefixing addresses of its own: only the entry the proxy added counts.
    expect((await attempt('192.0.2.77, 198.51.100.1')).status).toBe(429)
    expect((await attempt('198.51.100.2')).status).toBe(401)
  })
})
