import {
  LogController,
  type FastifyLoggerOptions,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify'
import { destination, stdTimeFunctions, type LoggerOptions } from 'pino'
import { activeTraceIds } from '@shop/tracing'

const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics'])

/**
 * JSON lines on stdout with the service, version, and (inside a request) requestId, traceId and spanId.
 * The trace ids are bound once per request, into the request's own logger (`request.log`), by
 * {@link logControllerOption}: what a request logs after its response was sent runs outside its trace
 * context, and a lookup per line would cost every line.
 * Written synchronously: an asynchronous write still pending at exit is flushed by sonic-boom in a loop
 * that retries a broken pipe (EPIPE) every 100 ms forever, so a service whose log reader was gone never
 * exited; a synchronous write fails at once, and pino then stops logging.
 */
export function loggerOptions(
  service: string,
  version: string,
  level: string,
): FastifyLoggerOptions & LoggerOptions {
  return {
    stream: destination({ dest: 1, sync: true }),
    level,
    base: { service, version },
    timestamp: stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie'],
  }
}

/** One line per request, when it completes, naming the route and status; probes are not logged. */
class RequestLogController extends LogController {
  constructor() {
    super({
      requestIdLogLabel: 'requestId',
      disableRequestLogging: (request: FastifyRequest) => QUIET_PATHS.has(request.url.split('?')[0]!),
    })
  }

  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ method: request.method, url: request.url }, 'incoming request')
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const line = {
      method: request.method,
      url: request.url,
      route: request.routeOptions.url,
      statusCode: reply.statusCode,
      responseTimeMs: Math.round(reply.elapsedTime * 10) / 10,
    }
    if (error) reply.log.error({ ...line, err: error }, 'request errored')
    else reply.log.info(line, 'request completed')
  }
}

export function logControllerOption(): Pick<FastifyServerOptions, 'logController' | 'childLoggerFactory'> {
  return {
    logController: new RequestLogController(),
    // Called as the request is dispatched, inside its trace context.
    childLoggerFactory: (logger, bindings, options) => {
      const traceIds = activeTraceIds()
      return logger.child(traceIds ? { ...bindings, ...traceIds } : bindings, options)
    },
  }
}
