import { generateKeyPairSync, randomBytes } from 'node:crypto'
import type { Session as SessionView, User as UserView } from '@shop/contracts'
import type { Problem as ProblemView } from '@shop/service-kit'
import { callJson, startApp, type JsonAnswer, type StartedApp } from '@shop/test-support'

/** `text` is the body exactly as sent, to look for things that must not be in it. */
export type Reply<T = Record<string, unknown>> = JsonAnswer<T>

/** What the service answers, as the contracts and the kit define it. */
export type { ProblemView, SessionView, UserView }

export function call<T = Record<string, unknown>>(
  app: StartedApp,
  method: string,
  path: string,
  options: { body?: unknown; token?: string; headers?: Record<string, string> } = {},
) {
  return callJson<T>(`${app.url}${path}`, { method, ...options })
}

export function newSignUp(overrides: Record<string, unknown> = {}) {
  return {
    email: `user-${randomBytes(6).toString('hex')}@example.com`,
    password: `pw-${randomBytes(9).toString('base64url')}`,
    firstName: 'Ada',
    lastName: 'Lovelace',
    ...overrides,
  }
}

export const signUp = (app: StartedApp, body: Record<string, unknown>) =>
  call<SessionView>(app, 'POST', '/api/auth/signup', { body })
export const signIn = (app: StartedApp, email: string, password: string) =>
  call<SessionView>(app, 'POST', '/api/auth/signin', { body: { email, password } })

/** An RSA key pair as an operator would configure it: PKCS#8 private PEM, SPKI public PEM. */
export function rsaKeyPair(modulusLength = 2048): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  })
  return { privatePem: privateKey, publicPem: publicKey }
}

/** Rate limits so high that tests which are not about them never meet them. */
export const NO_RATE_LIMITS = {
  SIGNIN_FAILURES_PER_EMAIL: '1000',
  AUTH_ATTEMPTS_PER_CLIENT_PER_MINUTE: '100000',
}

/** Starts an instance; the generous timeout is for a loaded 2-core machine starting several at once. */
export function startProfiles(env: Record<string, string>): Promise<StartedApp> {
  return startApp('profile-management', { env, timeoutMs: 45_000 })
}
