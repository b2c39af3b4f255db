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
  const methods = new Set<HTTPMethod>()
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat() as HTTPMethod[]) {
      methods.add(method)
      if (!routes.hasRoute(method, route.url)) routes.on(method, route.url, () => {})
    }
  })
  return (path) => [...methods].filter((method) => routes.find(method, path)).sort()
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
