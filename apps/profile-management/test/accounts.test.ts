import type { Db } from 'mongodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabase, type StartedApp } from '@shop/test-support'
import {
  call,
  newSignUp,
  NO_RATE_LIMITS,
  signIn,
  signUp,
  startProfiles,
  type ProblemView,
  type UserView,
} from './helpers.js'

const address = { line1: '12 St James Square', city: 'London', postalCode: 'SW1Y 4JH', country: 'GB' }

describe('profile-management accounts', () => {
  let app: StartedApp
  let db: Db
  let drop: () => Promise<void>

  beforeAll(async () => {
    const database = await testDatabase('profiles')
    db = database.db
    drop = database.drop
    app = await startProfiles({ ...database.env, ...NO_RATE_LIMITS })
  })

  afterAll(async () => {
    await app?.stop()
    await drop?.()
  })

  const usersWithEmail = (email: string) => db.collection('users').countDocuments({ email })

  it('signs up, signs in, and shows the profile to the token holder', async () => {
    const request = newSignUp({ address })
    const created = await signUp(app, request)
    expect(created.status).toBe(201)
    expect(created.headers.get('cache-control')).toBe('no-store')
    expect(created.body.user).toEqual({
      id: expect.any(String),
      email: request.email,
      firstName: 'Ada',
      lastName: 'Lovelace',
      address,
      createdAt: expect.any(String),
    })
    expect(Date.parse(created.body.expiresAt)).toBeGreaterThan(Date.now())

    const session = await signIn(app, request.email, request.password)
    expect(session.status).toBe(200)
    expect(session.body.user).toEqual(created.body.user)
    expect(session.body.token).not.toBe(created.body.token)

    for (const token of [created.body.token, session.body.token]) {
      const profile = await call<UserView>(app, 'GET', '/api/profile', { token })
      expect(profile.status).toBe(200)
      expect(profile.body).toEqual(created.body.user)
    }
  })

  it('normalises e-mails: any case signs up once and signs in', async () => {
    const request = newSignUp()
    const shouted = request.email.toUpperCase().replace('@EXAMPLE.COM', '@Example.COM')
    const created = await signUp(app, { ...request, email: shouted })
    expect(created.status).toBe(201)
    expect(created.body.user.email).toBe(request.email)

    const again = await signUp(app, request)
    expect(again.status).toBe(409)
    expect(again.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    expect(again.body).toMatchObject({ status: 409, type: 'urn:shop:problem:email-taken' })
    expect(await usersWithEmail(request.email)).toBe(1)

    expect((await signIn(app, shouted, request.password)).status).toBe(200)
    expect((await signIn(app, request.email, request.password)).body.user).toEqual(created.body.user)
  })

  it('two concurrent sign-ups with one e-mail make exactly one user', async () => {
    for (let round = 0; round < 5; round++) {
      const request = newSignUp()
      const replies = await Promise.all([
        signUp(app, request),
        signUp(app, { ...request, email: request.email.toUpperCase(), firstName: 'Grace' }),
      ])
      expect(replies.map((reply) => reply.status).sort()).toEqual([201, 409])
      expect(await usersWithEmail(request.email)).toBe(1)
    }
    const crowd = newSignUp()
    const replies = await Promise.all(Array.from({ length: 8 }, () => signUp(app, crowd)))
    expect(replies.filter((reply) => reply.status === 201)).toHaveLength(1)
    expect(replies.filter((reply) => reply.status === 409)).toHaveLength(7)
    expect(await usersWithEmail(crowd.email)).toBe(1)
    // The one account is the one whose session was answered, and its password works.
    const winner = replies.find((reply) => reply.status === 201)!
    expect((await signIn(app, crowd.email, crowd.password)).body.user.id).toBe(winner.body.user.id)
  })

  it('updates the profile: the fields given change, the others stay', async () => {
    const { body: session } = await signUp(app, newSignUp())
    const token = session.token

    const renamed = await call<UserView>(app, 'PUT', '/api/profile', {
      token,
      body: { firstName: 'Augusta' },
    })
    expect(renamed.status).toBe(200)
    expect(renamed.body).toEqual({ ...session.user, firstName: 'Augusta' })

    const moved = await call<UserView>(app, 'PUT', '/api/profile', {
      token,
      body: { address, lastName: 'King' },
    })
    expect(moved.body).toEqual({ ...session.user, firstName: 'Augusta', lastName: 'King', address })

    const read = await call<UserView>(app, 'GET', '/api/profile', { token })
    expect(read.body).toEqual(moved.body)
  })

  it('concurrent edits of different fields all land (FerretDB updates are not atomic)', async () => {
    for (let round = 0; round < 3; round++) {
      const { body: session } = await signUp(app, newSignUp())
      const token = session.token
      const edits = [{ firstName: `First${round}` }, { lastName: `Last${round}` }, { address }]
      const replies = await Promise.all(
        edits.map((body) => call(app, 'PUT', '/api/profile', { token, body })),
      )
      expect(replies.map((reply) => reply.status)).toEqual([200, 200, 200])
      const { body: profile } = await call<UserView>(app, 'GET', '/api/profile', { token })
      expect(profile).toEqual({
        ...session.user,
        firstName: `First${round}`,
        lastName: `Last${round}`,
        address,
      })
    }
  })

  it('answers bad input with a 400 problem and stores nothing', async () => {
    const valid = newSignUp()
    const invalid = [
      { ...valid, email: 'not-an-email' },
      { ...valid, password: 'short' },
      { ...valid, password: 'x'.repeat(129) },
      { ...valid, firstName: '' },
      { ...valid, lastName: undefined },
      { ...valid, address: { ...address, country: 'gb' } },
      { ...valid, passwordHash: '$argon2id$forged' },
      { ...valid, id: 'chosen-id' },
    ]
    for (const body of invalid) {
      const reply = await call<ProblemView>(app, 'POST', '/api/auth/signup', { body })
      expect(reply.status, JSON.stringify(body)).toBe(400)
      expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/)
      expect(reply.body).toMatchObject({
        status: 400,
        title: 'Invalid request',
        requestId: expect.any(String),
      })
      expect(reply.text).not.toContain(valid.password)
    }
    expect(await usersWithEmail(valid.email)).toBe(0)
    const notJson = await fetch(`${app.url}/api/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"email":',
    })
    expect(notJson.status).toBe(400)
    expect(notJson.headers.get('content-type')).toMatch(/^application\/problem\+json/)

    const { body: session } = await signUp(app, valid)
    for (const body of [
      {},
      { email: 'someone-else@example.com' },
      { passwordHash: 'x' },
      { firstName: 'x'.repeat(61) },
      { address: { city: 'London' } },
    ]) {
      const reply = await call<ProblemView>(app, 'PUT', '/api/profile', { token: session.token, body })
      expect(reply.status, JSON.stringify(body)).toBe(400)
      expect(reply.body.status).toBe(400)
    }
    expect((await call(app, 'GET', '/api/profile', { token: session.token })).body).toEqual(session.user)
    expect(await db.collection('profile_revisions').countDocuments({ userId: session.user.id })).toBe(0)
  })

  it('asks for a valid bearer token on the profile, and changes nothing without one', async () => {
    const { body: session } = await signUp(app, newSignUp())
    const attempts: Record<string, string>[] = [
      {},
      { authorization: 'Basic YWRhOnB3' },
      { authorization: 'Bearer not.a.token' },
    ]
    for (const headers of attempts) {
      for (const method of ['GET', 'PUT']) {
        const reply = await call<ProblemView>(app, method, '/api/profile', {
          headers,
          body: method === 'PUT' ? { firstName: 'Mallory' } : undefined,
        })
        expect(reply.status, `${method} ${JSON.stringify(headers)}`).toBe(401)
        expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/)
      }
    }
    expect((await call(app, 'GET', '/api/profile', { token: session.token })).body).toEqual(session.user)
  })

  it('answers a wrong password and an unknown e-mail with the same 401', async () => {
    const request = newSignUp()
    await signUp(app, request)
    const wrongPassword = await signIn(app, request.email, `${request.password}!`)
    const unknownEmail = await signIn(app, `nobody-${request.email}`, request.password)
    for (const reply of [wrongPassword, unknownEmail]) {
      expect(reply.status).toBe(401)
      expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    }
    const { requestId: _one, ...first } = wrongPassword.body as unknown as ProblemView
    const { requestId: _two, ...second } = unknownEmail.body as unknown as ProblemView
    expect(first).toEqual(second)
    expect(first).toMatchObject({ status: 401, type: 'urn:shop:problem:invalid-credentials' })
    const headerNames = (reply: typeof wrongPassword) =>
      [...reply.headers.keys()].filter((name) => !['date', 'x-request-id'].includes(name)).sort()
    expect(headerNames(unknownEmail)).toEqual(headerNames(wrongPassword))
  })

  it('spends about as long on an unknown e-mail as on a wrong password (a decoy hash is checked)', async () => {
    const request = newSignUp()
    await signUp(app, request)
    const timed = async (email: string, password: string) => {
      const started = performance.now()
      expect((await signIn(app, email, password)).status).toBe(401)
      return performance.now() - started
    }
    const known: number[] = []
    const unknown: number[] = []
    // Interleaved, so that load from elsewhere on the machine hits both alike; compared by median.
    for (let i = 0; i < 12; i++) {
      known.push(await timed(request.email, `wrong-${i}`))
      unknown.push(await timed(`nobody-${i}-${request.email}`, `wrong-${i}`))
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!
    // Without the decoy an unknown e-mail costs one indexed lookup, a small fraction of an argon2id check.
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.4)
  })

  it('stores an argon2id hash and never the password, and never answers the hash', async () => {
    const request = newSignUp({ password: 'Plain Text Password 123' })
    const created = await signUp(app, request)
    const session = await signIn(app, request.email, request.password)
    const updated = await call(app, 'PUT', '/api/profile', {
      token: session.body.token,
      body: { lastName: 'Byron' },
    })
    const read = await call(app, 'GET', '/api/profile', { token: session.body.token })

    const stored = await db.collection('users').findOne({ email: request.email })
    expect(stored!.passwordHash).toMatch(/^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$/)
    for (const collection of ['users', 'profile_revisions']) {
      const documents = JSON.stringify(await db.collection(collection).find({}).toArray())
      expect(documents).not.toContain(request.password)
    }
    expect(JSON.stringify(await db.collection('profile_revisions').find({}).toArray())).not.toContain(
      'argon2',
    )

    expect(stored).not.toHaveProperty('password')
    const replies = [created, session, updated, read]
    expect(replies.map((reply) => reply.status)).toEqual([201, 200, 200, 200])
    for (const reply of replies) {
      expect(reply.text).not.toContain(stored!.passwordHash)
      expect(reply.text).not.toContain('argon2')
      expect(reply.text).not.toMatch(/password/i)
      expect(reply.text).not.toContain(request.password)
    }
    // Nor do the logs carry the password or the token.
    const logs = app.output.join('\n')
    expect(logs).toContain('"url":"/api/auth/signin"')
    expect(logs).not.toContain(request.password)
    expect(logs).not.toContain(session.body.token)
  })

  it('documents its routes in its OpenAPI, without any password hash', async () => {
    const openapi = await call(app, 'GET', '/openapi.json')
    expect(openapi.text).not.toContain('passwordHash')
    expect(Object.keys(openapi.body.paths as object)).toEqual(
      expect.arrayContaining([
        '/api/auth/signup',
        '/api/auth/signin',
        '/api/profile',
        '/.well-known/jwks.json',
      ]),
    )
  })
})
