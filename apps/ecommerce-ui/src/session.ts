import type { FastifyReply, FastifyRequest } from 'fastify'

/** The cookie holding the person's token. httpOnly: the page's scripts never see the token. */
export const SESSION_COOKIE = 'shop_session'
/** The cookie holding the CSRF secret that the tokens the page sends are checked against. */
export const CSRF_COOKIE = 'shop_csrf'

export interface CookiePolicy {
  /** 'auto': Secure when the request's protocol (via a trusted proxy) is https (@fastify/cookie). */
  secure: boolean | 'auto'
}

/**
 * SameSite=Lax: a link from elsewhere (an email, a search result) arrives signed in, while another
 * site's forms and scripts cannot send the cookie with a POST; the CSRF token covers the rest.
 */
export function sessionCookieOptions(policy: CookiePolicy) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: policy.secure }
}

export function csrfCookieOptions(policy: CookiePolicy) {
  return { path: '/', httpOnly: true, sameSite: 'strict' as const, secure: policy.secure }
}

export function sessionToken(request: FastifyRequest): string | undefined {
  const token = request.cookies[SESSION_COOKIE]
  return token && /^[A-Za-z0-9._~+/-]+=*$/.test(token) ? token : undefined
}

export function startSession(reply: FastifyReply, token: string, expiresAt: string): void {
  const seconds = Math.floor((Date.parse(expiresAt) - Date.now()) / 1000)
  reply.setCookie(SESSION_COOKIE, token, {
    ...sessionCookieOptions(reply.server.cookiePolicy),
    ...(Number.isFinite(seconds) && seconds > 0 ? { maxAge: seconds } : {}),
  })
}

export function clearSession(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, sessionCookieOptions(reply.server.cookiePolicy))
}

declare module 'fastify' {
  interface FastifyInstance {
    readonly cookiePolicy: CookiePolicy
  }
}
