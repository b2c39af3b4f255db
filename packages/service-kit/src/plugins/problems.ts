import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifySchemaValidationError,
} from 'fastify'
import {
  PROBLEM_CONTENT_TYPE,
  ProblemError,
  ProblemSchema,
  problemType,
  statusTitle,
  type Problem,
} from '../problem.js'
import { recordRouteMethods } from './routing.js'

/**
 * Every error leaves as RFC 9457 problem+json with the request id: validation failures as 400 naming
 * the field, unknown routes as 404, known paths asked with another method as 405 with `Allow`, and
 * anything unexpected as a 500 that tells nothing of the inside.
 */
/** Errors reading a body (no or an unknown media type): on an unknown route, the route is what is wrong. */
const BODY_ERRORS = /^FST_ERR_(CTP_|ROUTE_MISSING_CONTENT_TYPE$)/

export function registerProblemHandlers(app: FastifyInstance): void {
  app.addSchema(ProblemSchema)
  const methodsOf = recordRouteMethods(app)

  app.setErrorHandler((error: FastifyError | ProblemError, request, reply) => {
    // An unknown route's body is parsed before the not-found handler runs (a QUERY without a media
    // type fails there): the answer is still about the route, 404 or 405.
    if (request.is404 && 'code' in error && BODY_ERRORS.test(error.code ?? ''))
      return notFound(request, reply)
    const problem = toProblem(error, request)
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed')
    else request.log.info({ status: problem.status, detail: problem.detail }, 'request rejected')
    return sendProblem(reply, problem)
  })

  const notFound = (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0]!
    const allowed = methodsOf(path)
    // A method the path answers can still find nothing (a catch-all route handing on): that is a 404.
    if (allowed.length && !allowed.includes(request.method)) {
      reply.header('allow', allowed.join(', '))
      return sendProblem(reply, {
        type: 'about:blank',
        title: statusTitle(405),
        status: 405,
        detail: `${path} answers ${allowed.join(', ')}, not ${request.method}`,
        requestId: request.id,
      })
    }
    return sendProblem(reply, {
      type: 'about:blank',
      title: statusTitle(404),
      status: 404,
      detail: `No route ${request.method} ${path}`,
      requestId: request.id,
    })
  }
  app.setNotFoundHandler(notFound)
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem)
}

function toProblem(error: FastifyError | ProblemError, request: FastifyRequest): Problem {
  const requestId = request.id
  if (error instanceof ProblemError) {
    return {
      ...error.extensions,
      type: error.type,
      title: error.title,
      status: error.status,
      detail: error.message,
      requestId,
    }
  }
  if ('validation' in error && error.validation) {
    const errors = error.validation.map((issue) => ({
      in: error.validationContext,
      path: issue.instancePath || '/',
      message: describeIssue(issue),
    }))
    return {
      type: problemType('invalid-request'),
      title: 'Invalid request',
      status: 400,
      detail: errors
        .map((issue) => `${issue.in}${issue.path === '/' ? '' : issue.path} ${issue.message}`)
        .join('; '),
      requestId,
      errors,
    }
  }
  const status = 'statusCode' in error && error.statusCode && error.statusCode >= 400 ? error.statusCode : 500
  return {
    type: 'about:blank',
    title: statusTitle(status),
    status,
    // Client errors raised by Fastify itself (bad JSON, wrong media type, body too large) explain
    // themselves; server errors never reveal their message or stack.
    detail:
      status < 500 ? error.message : 'An unexpected error occurred. Quote the request id when reporting it.',
    requestId,
  }
}

function describeIssue(issue: FastifySchemaValidationError): string {
  const allowed = (issue.params as { allowedValues?: unknown[] }).allowedValues
  return allowed ? `must be one of: ${allowed.join(', ')}` : (issue.message ?? 'is invalid')
}

/** Response schemas documenting a route's possible problems in its OpenAPI description. */
export function problemResponses(
  ...statuses: number[]
): Record<number, { $ref: string; description: string }> {
  return Object.fromEntries(
    statuses.map((status) => [status, { $ref: 'Problem#', description: statusTitle(status) }]),
  )
}
