import { createPrivateKey, createPublicKey } from 'node:crypto'
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '@shop/contracts'
import { jwksTokenVerifier } from '@shop/service-kit/auth'
import { testDatabase, type TestDatabase, type StartedApp } from '@shop/test-support'
import { decodeJwt, decodeProtectedHeader, jwtVerify, SignJWT, type KeyObject } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  call,
  newSignUp,
  NO_RATE_LIMITS,
  rsaKeyPair,
  signUp,
  startProfiles,
  type ProblemView,
  type UserView,
} from './helpers.js'

interface Jwks {
  keys: Record<string, string>[]
}

function forge(
  privateKey: KeyObject,
  kid: string,
  claims: { sub: string; email: string },
  expiresAt: number,
) {
  return new SignJWT({ email: claims.email })
    .setProtectedHeader({ alg: 'RS256', kid })
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setSubject(claims.sub)
    .setIssuedAt(expiresAt - 3600)
    .setExpirationTime(expiresAt)
    .sign(privateKey)
}

describe('profile-management tokens', () => {
  const configured = rsaKeyPair()
  let database: TestDatabase
  let devKeyed: StartedApp
  let first: StartedApp
  let second: StartedApp

  beforeAll(async () => {
    database = await testDatabase('profile_tokens')
    const keyed = {
      ...database.env,
      ...NO_RATE_LIMITS,
      JWT_PRIVATE_KEY: configured.privatePem,
      JWT_KEY_ID: 'shop-2026-11',
    }
    ;[devKeyed, first, second] = await Promise.all([
      startProfiles({ ...database.env, ...NO_RATE_LIMITS }),
      startProfiles(keyed),
      startProfiles(keyed),
    ])
  })

  afterAll(async () => {
    await Promise.all([devKeyed?.stop(), first?.stop(), second?.stop()])
    await database?.drop()
  })

  it('publishes its public key as a standard JWKS, cacheable', async () => {
    const reply = await call<Jwks>(devKeyed, 'GET', '/.well-known/jwks.json')
    expect(reply.status).toBe(200)
    expect(reply.headers.get('content-type')).toMatch(/^application\/json/)
    expect(reply.headers.get('cache-control')).toBe('public, max-age=300')
    expect(reply.body.keys).toHaveLength(1)
    const key = reply.body.keys[0]!
    expect(Object.keys(key).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use'])
    expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB', kid: expect.any(String) })
    // A 2048-bit modulus is 256 bytes, 342 base64url characters.
    expect(key.n!.length).toBeGreaterThanOrEqual(342)
  })

  it('warns, naming the consequences, when it signs with a generated key', () => {
    const warning = devKeyed.output.find((line) => line.includes('JWT_PRIVATE_KEY is not set'))
    expect(warning).toBeDefined()
    expect(JSON.parse(warning!)).toMatchObject({ level: 'warn' })
    expect(warning).toMatch(/not survive a restart/)
    expect(warning).toMatch(/not verify across replicas/)
    expect(first.output.some((line) => line.includes('JWT_PRIVATE_KEY is not set'))).toBe(false)
  })

  it('issues RS256 tokens with the contract claims, which the kit verifier accepts from the running JWKS', async () => {
    const request = newSignUp()
    const { body: session } = await signUp(devKeyed, request)
    const { body: jwks } = await call<Jwks>(devKeyed, 'GET', '/.well-known/jwks.json')

    const header = decodeProtectedHeader(session.token)
    expect(header).toMatchObject({ alg: 'RS256', kid: jwks.keys[0]!.kid, typ: 'JWT' })
    const claims = decodeJwt(session.token)
    expect(claims).toMatchObject({
      iss: TOKEN_ISSUER,
      aud: TOKEN_AUDIENCE,
      sub: session.user.id,
      email: request.email,
      jti: expect.any(String),
    })
    expect(claims.exp! - claims.iat!).toBe(2 * 60 * 60)
    expect(Math.abs(claims.iat! * 1000 - Date.now())).toBeLessThan(60_000)
    expect(new Date(claims.exp! * 1000).toISOString()).toBe(session.expiresAt)

    const verify = jwksTokenVerifier(`${devKeyed.url}/.well-known/jwks.json`)
    expect(await verify(`Bearer ${session.token}`)).toEqual({
      userId: session.user.id,
      email: request.email,
      token: session.token,
    })
    // Each token is its own: two sessions never share an id.
    const again = await call<{ token: string }>(devKeyed, 'POST', '/api/auth/signin', {
      body: { email: request.email, password: request.password },
    })
    expect(decodeJwt(again.body.token).jti).not.toBe(claims.jti)
  })

  it('signs with the configured key: the matching public key verifies, and replicas accept each other', async () => {
    const { body: session } = await signUp(first, newSignUp())
    expect(decodeProtectedHeader(session.token).kid).toBe('shop-2026-11')
    const { payload } = await jwtVerify(session.token, createPublicKey(configured.publicPem), {
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
      algorithms: ['RS256'],
    })
    expect(payload.sub).toBe(session.user.id)

    const [jwksOne, jwksTwo] = await Promise.all([
      call(first, 'GET', '/.well-known/jwks.json'),
      call(second, 'GET', '/.well-known/jwks.json'),
    ])
    expect(jwksOne.body).toEqual(jwksTwo.body)
    const profile = await call<UserView>(second, 'GET', '/api/profile', { token: session.token })
    expect(profile.status).toBe(200)
    expect(profile.body).toEqual(session.user)
    expect(
      await jwksTokenVerifier(`${second.url}/.well-known/jwks.json`)(`Bearer ${session.token}`),
    ).toMatchObject({
      userId: session.user.id,
    })

    // A generated key is the instance's alone: its tokens open nothing on the others, and the reverse.
    const { body: devSession } = await signUp(devKeyed, newSignUp())
    expect((await call(first, 'GET', '/api/profile', { token: devSession.token })).status).toBe(401)
    expect((await call(devKeyed, 'GET', '/api/profile', { token: session.token })).status).toBe(401)
  })

  it('refuses expired and forged tokens with 401', async () => {
    const { body: session } = await signUp(first, newSignUp())
    const user = { sub: session.user.id, email: session.user.email }
    const now = Math.floor(Date.now() / 1000)
    const configuredKey = createPrivateKey(configured.privatePem)

    const control = await forge(configuredKey, 'shop-2026-11', user, now + 600)
    expect((await call(first, 'GET', '/api/profile', { token: control })).status).toBe(200)

    const expired = await forge(configuredKey, 'shop-2026-11', user, now - 120)
    const expiredReply = await call<ProblemView>(first, 'GET', '/api/profile', { token: expired })
    expect(expiredReply.status).toBe(401)
    expect(expiredReply.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    expect(expiredReply.body.detail).toMatch(/expired/)

    const otherKey = createPrivateKey(rsaKeyPair().privatePem)
    const forged = await forge(otherKey, 'shop-2026-11', user, now + 600)
    const forgedReply = await call<ProblemView>(first, 'GET', '/api/profile', { token: forged })
    expect(forgedReply.status).toBe(401)
    expect(forgedReply.body.detail).toBe('The token is not valid')
    const updateReply = await call(first, 'PUT', '/api/profile', {
      token: forged,
      body: { firstName: 'Mallory' },
    })
    expect(updateReply.status).toBe(401)
    expect(
      (await call<UserView>(first, 'GET', '/api/profile', { token: session.token })).body.firstName,
    ).toBe('Ada')

    // A tampered payload breaks the signature too.
    const [head, , signature] = session.token.split('.')
    const body = Buffer.from(JSON.stringify({ ...user, sub: 'someone-else' })).toString('base64url')
    expect((await call(first, 'GET', '/api/profile', { token: `${head}.${body}.${signature}` })).status).toBe(
      401,
    )
  })

  it('answers 401 for a valid token whose account is not in its database', async () => {
    const other = await testDatabase('profile_tokens_other')
    const elsewhere = await startProfiles({
      ...other.env,
      JWT_PRIVATE_KEY: configured.privatePem,
      JWT_KEY_ID: 'shop-2026-11',
    })
    try {
      const { body: session } = await signUp(first, newSignUp())
      const reply = await call<ProblemView>(elsewhere, 'GET', '/api/profile', { token: session.token })
      expect(reply.status).toBe(401)
      expect(reply.body.detail).toMatch(/no longer exists/)
    } finally {
      await elsewhere.stop()
      await other.drop()
    }
  })

  it('stops at start-up, naming JWT_PRIVATE_KEY without showing it, when the key is unusable', async () => {
    const secretLooking = 'not-a-pem-but-a-secret-value-1234'
    const weak = rsaKeyPair(1024).privatePem
    const cases: [string, RegExp][] = [
      [secretLooking, /JWT_PRIVATE_KEY is not a PEM private key/],
      [weak, /JWT_PRIVATE_KEY must be an RSA key of at least 2048 bits/],
    ]
    for (const [value, message] of cases) {
      const started = startProfiles({ ...database.env, JWT_PRIVATE_KEY: value })
      const error = (await started.then(
        async (app) => {
          await app.stop()
          throw new Error('started with an unusable key')
        },
        (failure: Error) => failure,
      )) as Error
      expect(error.message).toMatch(message)
      expect(error.message).not.toContain(secretLooking)
      expect(error.message).not.toContain(weak.split('\n')[1])
    }
  })
})
