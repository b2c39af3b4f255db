import rateLimit, {
  normalizeIP,
  type CreateRateLimitOptions,
  type RateLimitOptions,
} from '@fastify/rate-limit'
import type { SignInRequest } from '@shop/contracts'
import { OneAtATime, ProblemError, problemType, type ServiceApp } from '@shop/service-kit'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { normalizeEmail } from '../domain/accounts.js'

export interface RateLimitSettings {
  /**
   * Failed sign-ins one e-mail may have per window from one client address; that client's next attempt
   * answers 429, right password or not. Other clients are not locked out by it.
   */
  failuresPerEmail: number
  /** Failed sign-ins one e-mail may have per window from all clients together: the brake on spread guessing. */
  failuresPerEmailAllClients: number
  failureWindowMs: number
  /**
   * Attempts one client address may make per minute, on sign-in and (counted apart) on sign-up. The
   * address is `request.ip`: behind proxies, the kit's TRUSTED_PROXY_HOPS makes it the client's.
   */
  attemptsPerClient: number
}

export interface AuthRateLimits {
  /** Route `config.rateLimit` for the per-client limit: every attempt counts, valid or not. */
  perClient: RateLimitOptions
  /**
   * Runs one sign-in attempt for the e-mail of the request: refuses it with 429 when the e-mail has
   * failed too often, and counts it when `attempt` answers undefined (a failure).
   */
  signInAttempt<T>(
    request: FastifyRequest,
    reply: FastifyReply,
    attempt: () => Promise<T | undefined>,
  ): Promise<T | undefined>
}

/** Room for this many distinct e-mails and addresses before the oldest counters are forgotten. */
const TRACKED_KEYS = 100_000
const CLIENT_WINDOW_MS = 60_000

/**
 * Sign-in and sign-up rate limits, on @fastify/rate-limit:
 * - per e-mail, only FAILED sign-ins count: 5 per 15 minutes from one client address, 50 from all together
 *   (by default). Keyed by e-mail AND client, a stranger's guesses lock out the stranger, not the owner
 *   signing in from elsewhere; the looser limit for all clients still brakes guessing spread over many
 *   addresses (locking the e-mail for everyone only then). Unknown e-mails count too, so the limit does
 *   not reveal which addresses have accounts. Attempts for one e-mail run one at a time, so a burst of
 *   concurrent guesses cannot all pass the check before the first failure is counted.
 * - per client address, every attempt counts (30 a minute by default, on sign-in and on sign-up apart):
 *   looser, since many people can share one address, but it bounds one source's guessing across many
 *   e-mails and the memory-hard hashing it can make the service do.
 *
 * The counters are in memory, per instance: with N replicas an attacker spread over them gets up to N
 * times the limits, and a restart forgets them. A shared store (Redis, which the plugin supports) would
 * fix both; this shop has none, and these limits are a brake on guessing, not an exact quota.
 */
export async function registerAuthRateLimits(
  app: ServiceApp,
  settings: RateLimitSettings,
): Promise<AuthRateLimits> {
  await app.register(rateLimit, {
    global: false,
    cache: TRACKED_KEYS,
    errorResponseBuilder: (_request, context) =>
      tooManyAttempts(`Too many attempts from this address: try again in ${context.after}`),
  })

  const perClient: RateLimitOptions = {
    max: settings.attemptsPerClient,
    timeWindow: CLIENT_WINDOW_MS,
    keyGenerator: (request) => normalizeIP(request.ip),
    // Each route makes a store of its own from these options, so its size is given here too.
    cache: TRACKED_KEYS,
  }

  const emailOf = (request: FastifyRequest) => normalizeEmail((request.body as SignInRequest).email)
  const failureLimit = (
    max: number,
    keyGenerator: (request: FastifyRequest) => string,
  ): CreateRateLimitOptions & { cache: number } => ({
    max,
    timeWindow: settings.failureWindowMs,
    keyGenerator,
    cache: TRACKED_KEYS,
  })
  const failureLimits = [
    app.createRateLimit(
      failureLimit(settings.failuresPerEmail, (request) => `${emailOf(request)} ${normalizeIP(request.ip)}`),
    ),
    app.createRateLimit(failureLimit(settings.failuresPerEmailAllClients, emailOf)),
  ]
  const oneAtATime = new OneAtATime()

  return {
    perClient,
    signInAttempt: (request, reply, attempt) =>
      oneAtATime.run(emailOf(request), async () => {
        // Peek first: a failure is counted only once it has happened (a success costs nothing).
        for (const failures of failureLimits) {
          const before = await failures(request, { increment: false })
          if (!before.isAllowed && before.remaining === 0) {
            const seconds = Math.max(1, before.ttlInSeconds)
            reply.header('retry-after', seconds)
            throw tooManyAttempts(`Too many failed sign-ins for this e-mail: try again in ${seconds} seconds`)
          }
        }
        const result = await attempt()
        if (result === undefined) for (const failures of failureLimits) await failures(request)
        return result
      }),
  }
}

function tooManyAttempts(detail: string): ProblemError {
  return new ProblemError(429, detail, { title: 'Too many attempts', type: problemType('rate-limited') })
}
