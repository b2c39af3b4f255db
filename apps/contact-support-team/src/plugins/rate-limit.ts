import fastifyRateLimit, { type RateLimitOptions } from '@fastify/rate-limit'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { ProblemError, problemType } from '@shop/service-kit'

/** Makes per-route limits available (`config.rateLimit`); no route is limited unless it asks. */
export async function registerRateLimit(app: FastifyInstance): Promise<void> {
  await app.register(fastifyRateLimit, { global: false })
}

export interface LimitSettings {
  max: number
  windowMs: number
}

/**
 * A route's limit per client: per user when the request is signed in (so people behind one address
 * do not share a budget), else per client address. It runs as a preHandler, after the route's own
 * preHandlers have identified the user, and after validation, so only well-formed requests count.
 * Over the limit: a 429 problem with Retry-After. Counts live in this process's memory.
 */
export function perClientLimit({ max, windowMs }: LimitSettings): RateLimitOptions {
  return {
    max,
    timeWindow: windowMs,
    hook: 'preHandler',
    keyGenerator: (request: FastifyRequest) => {
      if (request.principal) return `user:${request.principal.userId}`
      // request.ip is the client's address behind TRUSTED_PROXY_HOPS proxies (the kit sets trustProxy).
      // IPv6 clients are counted per /64, as the plugin does by default: one host holds many addresses.
      return `address:${fastifyRateLimit.normalizeIP(request.ip)}`
    },
    errorResponseBuilder: (_request, context) =>
      new ProblemError(context.statusCode, `Too many requests: try again in ${context.after}`, {
        title: 'Too many requests',
        type: problemType('rate-limited'),
        extensions: { retryAfterSeconds: Math.ceil(context.ttl / 1000) },
      }),
  }
}
