import type { FastifyRequest } from 'fastify'

/**
 * The X-Forwarded-For chain as received, then the address this request's connection came from: what
 * a proxy sends on, so that the services behind the BFF can find the browser's address (trusting as
 * many hops as their TRUSTED_PROXY_HOPS says).
 */
export function forwardedChain(request: FastifyRequest): string[] {
  const header = request.headers['x-forwarded-for']
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
  return [...forwarded, request.socket.remoteAddress ?? request.ip]
}
