import type { FastifyInstance } from 'fastify'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import { PROBLEM_CONTENT_TYPE } from '../problem.js'

export interface OpenApiInfo {
  title: string
  description: string
  version: string
}

/** The OpenAPI document, generated from the same schemas that validate requests, on /openapi.json and /docs. */
export async function registerOpenApi(app: FastifyInstance, info: OpenApiInfo): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info,
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
    transformObject: (documentObject) =>
      describeAsSent((documentObject as { openapiObject: OpenApiDocument }).openapiObject) as never,
  })
  await app.register(swaggerUi, { routePrefix: '/docs', logLevel: 'warn' })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
}

interface Operation {
  parameters?: { in: string; required?: boolean; schema?: { default?: unknown } }[]
  responses?: Record<string, { content?: Record<string, unknown> }>
}
type OpenApiDocument = { paths?: Record<string, Record<string, Operation>> } & Record<string, unknown>

/**
 * What the generated document gets wrong about the answers as sent: errors leave as
 * `application/problem+json` (sendProblem), not `application/json`; and a query parameter with a
 * default may be left out, so it is not required.
 */
function describeAsSent(document: OpenApiDocument): OpenApiDocument {
  for (const operation of Object.values(document.paths ?? {}).flatMap((item) => Object.values(item))) {
    for (const parameter of operation.parameters ?? [])
      if (parameter.in === 'query' && parameter.schema?.default !== undefined) parameter.required = false
    for (const [status, response] of Object.entries(operation.responses ?? {})) {
      const json = response.content?.['application/json']
      if (Number(status) < 400 || !json || !response.content) continue
      delete response.content['application/json']
      response.content[PROBLEM_CONTENT_TYPE] = json
    }
  }
  return document
}
