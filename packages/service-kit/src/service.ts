import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Registry } from 'prom-client'
import { getRequestId, isValidRequestId, REQUEST_ID_HEADER } from '@shop/tracing'
import { Database, type DatabaseSettings } from './database.js'
import { loggerOptions, logControllerOption } from './logging.js'
import { registerAbortedRequests } from './plugins/aborted-requests.js'
import { registerFaults, type FaultConfig } from './plugins/faults.js'
import { registerHealth } from './plugins/health.js'
import { registerMetrics } from './plugins/metrics.js'
import { registerOpenApi } from './plugins/openapi.js'
import { registerProblemHandlers } from './plugins/problems.js'
import { registerRequestContext } from './plugins/request-context.js'
import { frameworkErrorHandler } from './plugins/routing.js'
import { Readiness } from './readiness.js'
import { validationOptions } from './validation.js'

/** The Fastify instance every service builds on, with TypeBox schemas typing its routes. */
export type ServiceApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>

/** The part of a service's configuration the kit itself reads. */
export interface ServiceRuntimeConfig extends FaultConfig {
  PORT: number
  HOST: string
  SERVICE_VERSION: 'v1' | 'v2'
  LOG_LEVEL: string
  SHUTDOWN_DELAY_MS: number
  SHUTDOWN_TIMEOUT_MS: number
  TRUSTED_PROXY_HOPS: number
}

export interface ServiceOptions {
  /** The service's name, as in Kubernetes and Istio: `product-catalog`. */
  name: string
  description: string
  config: ServiceRuntimeConfig
  /** Absent when no database is configured: the service runs and is ready without one. */
  database?: DatabaseSettings | undefined
  /** Largest request body accepted, in bytes. */
  bodyLimit?: number
}

declare module 'fastify' {
  interface FastifyInstance {
    readonly serviceName: string
    readonly serviceVersion: string
    readonly runtimeConfig: ServiceRuntimeConfig
    readonly readiness: Readiness
    readonly metrics: Registry
    /** The service's database, or undefined when none is configured. */
    readonly database: Database | undefined
  }
}

/**
 * Builds a service's Fastify instance with everything docs/architecture.md#3-the-service-kit lists:
 * health, readiness, metrics, OpenAPI, validation, problem+json errors, request ids, JSON logs and the
 * database connection. The service then registers its own routes on it.
 */
export async function createService(options: ServiceOptions): Promise<ServiceApp> {
  const { name, config } = options
  const version = config.SERVICE_VERSION
  const app = Fastify({
    logger: loggerOptions(name, version, config.LOG_LEVEL),
    ...logControllerOption(),
    genReqId: requestIdOf,
    frameworkErrors: frameworkErrorHandler(`${name}/${version}`),
    bodyLimit: options.bodyLimit ?? 64 * 1024,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // request.ip is the address TRUSTED_PROXY_HOPS hops back in X-Forwarded-For (hop 0 is the socket peer).
    trustProxy: (_address: string, hop: number) => hop < config.TRUSTED_PROXY_HOPS,
    ...validationOptions(),
  }).withTypeProvider<TypeBoxTypeProvider>()

  const readiness = new Readiness()
  const database = options.database && new Database(options.database, name)
  app.decorate('serviceName', name)
  app.decorate('serviceVersion', version)
  app.decorate('runtimeConfig', config)
  app.decorate('readiness', readiness)
  app.decorate('database', database)

  registerProblemHandlers(app)
  registerRequestContext(app, `${name}/${version}`)
  app.decorate('metrics', registerMetrics(app, { service: name, version }))
  registerAbortedRequests(app, app.metrics)
  registerFaults(app, config, app.metrics)
  registerHealth(app, readiness)
  // Once stopping, every response closes its connection, so keep-alive clients move to other pods and
  // the listener can close as soon as the last in-flight request is answered.
  app.addHook('onSend', async (_request, reply) => {
    if (readiness.stopping) reply.header('connection', 'close')
  })
  await registerOpenApi(app, { title: name, description: options.description, version })

  if (database) {
    readiness.addCheck('database', () => database.check())
    app.addHook('onReady', async () => database.startSetup(app.log))
    app.addHook('onClose', async () => database.close())
  }
  return app
}

/**
 * The request id: as propagated by the tracing module (which generates one at the edge), else as
 * received when it is a valid one (bounded length and charset: it goes into every log line), else new.
 */
function requestIdOf(request: IncomingMessage): string {
  const header = request.headers[REQUEST_ID_HEADER]
  return getRequestId() ?? (typeof header === 'string' && isValidRequestId(header) ? header : randomUUID())
}
