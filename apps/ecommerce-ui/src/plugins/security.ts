import type { IncomingMessage, ServerResponse } from 'node:http'
import cookie from '@fastify/cookie'
import csrfProtection from '@fastify/csrf-protection'
import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance } from 'fastify'
import helmet from 'helmet'
import { CSRF_COOKIE, csrfCookieOptions, type CookiePolicy } from '../session.js'

/** The header the page sends its CSRF token in. */
export const CSRF_HEADER = 'x-csrf-token'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * What the page runs only from the shop itself: no inline script or style, no other origin, no
 * framing. The built page satisfies it (Vite emits external files only).
 */
const PAGE_CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'"],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  manifestSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
}

/** Swagger UI on /docs sets inline styles and data: icons; it gets a looser policy of its own. */
const DOCS_CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none'; frame-ancestors 'none'"

/**
 * The headers helmet's middleware sets, taken once: they depend on nothing in a request (no CSP
 * nonce). Run on every request, its dozen middlewares each called Node's `setHeader`, validated
 * there and again when Fastify's own headers joined them: 35,000 instructions of the BFF's 845,000 per
 * API call (packages/bench/README.md).
 */
function headersOf(middleware: ReturnType<typeof helmet>): Record<string, string> {
  const headers: Record<string, string> = {}
  const response = {
    setHeader: (name: string, value: string) => (headers[name.toLowerCase()] = value),
    // X-Powered-By: Fastify never sends it.
    removeHeader: () => undefined,
  }
  middleware({} as IncomingMessage, response as unknown as ServerResponse, (error) => {
    if (error) throw error
  })
  return headers
}

/**
 * Cookies, security headers, CSRF protection of every state-changing request, and the rate limit
 * of the sign-in routes (registered by the routes that need it).
 */
export async function registerSecurity(app: FastifyInstance, policy: CookiePolicy): Promise<void> {
  app.decorate('cookiePolicy', policy)
  await app.register(cookie)
  const securityHeaders = headersOf(
    helmet({
      contentSecurityPolicy: { useDefaults: false, directives: PAGE_CSP },
      // Strict-Transport-Security only means something (and only stays harmless) over HTTPS.
      strictTransportSecurity: policy.secure === true ? { maxAge: 31_536_000 } : false,
      referrerPolicy: { policy: 'same-origin' },
    }),
  )
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(securityHeaders)
    done()
  })
  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith('/docs')) reply.header('content-security-policy', DOCS_CSP)
  })

  await app.register(csrfProtection, {
    cookieKey: CSRF_COOKIE,
    cookieOpts: csrfCookieOptions(policy),
    // Only a header: a cross-site form can put a token in a body, but never a custom header.
    getToken: (request) => {
      const token = request.headers[CSRF_HEADER]
      return typeof token === 'string' ? token : ''
    },
  })
  // Every state-changing request, whatever its route (unknown ones included), needs the token.
  app.addHook('onRequest', (request, reply, done) => {
    if (SAFE_METHODS.has(request.method)) return done()
    app.csrfProtection(request, reply, done)
  })

  await app.register(rateLimit, { global: false })
}
