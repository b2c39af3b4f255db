import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import FindMyWay, { type HTTPMethod } from 'find-my-way'
import { PROBLEM_CONTENT_TYPE, statusTitle } from '../problem.js'
import { setContextHeaders } from './request-context.js'

/**
 * The methods each path answers, recorded as routes are added, so that a known path asked with
 * another method answers 405 with `Allow` (RFC 9110 section 15.5.6) rather than 404.
 */
export function recordRouteMethods(app: FastifyInstance): (path: string) => string[] {
  const routes = FindMyWay()
  // Catch-all routes (the BFF's page for any GET) count only where no real route has the path: the
  // sign-in path answers POST, not also GET because the page would answer a GET with a 404.
  const fallbacks = FindMyWay()
  const methods = new Set<HTTPMethod>()
  app.addHook('onRoute', (route) => {
    const table = route.config?.fallback ? fallbacks : routes
    for (const method of [route.method].flat() as HTTPMethod[]) {
      methods.add(method)
      if (!table.hasRoute(method, route.url)) table.on(method, route.url, () => {})
    }
  })
  const methodsIn = (table: typeof routes, path: string) =>
    [...methods].filter((method) => table.find(method, path)).sort()
  return (path) => {
    const allowed = methodsIn(routes, path)
    return allowed.length ? allowed : methodsIn(fallbacks, path)
  }
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A catch-all route: its methods are advertised in `Allow` only where no other route matches. */
    fallback?: boolean
  }
}

/**
 * Errors Fastify raises before routing (a URL whose percent-encoding is not UTF-8, like `/%c0`):
 * the usual problem+json 400 with the request id and the service's headers, instead of Fastify's own
 * JSON echoing the URL.
 */
export function frameworkErrorHandler(servedBy: string) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    setContextHeaders(reply, request.id, servedBy)
    const status =
      error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400
    request.log.info({ status, code: error.code }, 'request rejected')
    void reply
      .code(status)
      .type(PROBLEM_CONTENT_TYPE)
      .send({
        type: 'about:blank',
        title: statusTitle(status),
        status,
        detail:
          error.code === 'FST_ERR_BAD_URL' ? 'The URL is not valid percent-encoded UTF-8.' : 'Bad request.',
        requestId: request.id,
      })
  }
}
