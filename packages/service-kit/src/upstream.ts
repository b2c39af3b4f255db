import type { IncomingHttpHeaders } from 'node:http'
import { request as send, type Dispatcher } from 'undici'
import { ProblemError, problemType } from './problem.js'

export interface UpstreamResponse<Body> {
  status: number
  body: Body
  headers: Headers
}

export interface UpstreamRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE'
  /** Sent as JSON. */
  body?: unknown
  headers?: Record<string, string | undefined>
}

/**
 * Another service of the shop, called over HTTP with a timeout on every call. The caller's trace
 * context and x-request-id travel with each call (the tracing module's undici instrumentation injects
 * them). Calls go through undici's `request` on kept-alive connections: WHATWG `fetch` builds a
 * Request, a Response, Headers and a stream per call, which made the BFF's hop cost more than the
 * catalog's whole answer.
 * There are no retries here: retrying belongs to the mesh, and the routes it may retry are idempotent.
 *
 * Answers below 500 come back to the caller to interpret (a 409 from the inventory means something).
 * A timeout, an unreachable service, a 5xx or a body that is not JSON becomes a ProblemError (504 or
 * 502) that names the service, so the person sees which hop failed.
 */
export class Upstream {
  constructor(
    readonly name: string,
    readonly baseUrl: string,
    readonly timeoutMs: number,
  ) {}

  async call<Body = unknown>(path: string, request: UpstreamRequest = {}): Promise<UpstreamResponse<Body>> {
    const method = request.method ?? 'GET'
    const headers: Record<string, string> = { accept: 'application/json' }
    for (const [name, value] of Object.entries(request.headers ?? {}))
      if (value !== undefined) headers[name] = value
    if (request.body !== undefined) headers['content-type'] = 'application/json'

    let response: Dispatcher.ResponseData
    let text: string
    try {
      response = await send(`${this.baseUrl}${path}`, {
        method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.timeout(this.timeoutMs),
      })
      text = await response.body.text()
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError'
      throw new ProblemError(
        timedOut ? 504 : 502,
        timedOut
          ? `${this.name} did not answer ${method} ${path} within ${this.timeoutMs} ms`
          : `${this.name} is unreachable (${causeOf(error)})`,
        {
          title: timedOut ? 'Upstream timeout' : 'Upstream unavailable',
          type: problemType(timedOut ? 'upstream-timeout' : 'upstream-unavailable'),
          extensions: { upstream: { service: this.name } },
          cause: error,
        },
      )
    }

    let body: unknown
    try {
      body = text ? JSON.parse(text) : undefined
    } catch {
      body = undefined
    }
    const answer = { status: response.statusCode, body: body as Body, headers: headersOf(response.headers) }
    if (answer.status >= 500 || (body === undefined && answer.status !== 204))
      throw this.unexpected(`${method} ${path}`, answer)
    return answer
  }

  /**
   * A 502 problem for an answer the caller cannot use: a 5xx, or a status the contract does not
   * allow. It names the service, its status and detail, and the version that answered.
   */
  unexpected(call: string, answer: UpstreamResponse<unknown>): ProblemError {
    const detail = (answer.body as { detail?: unknown } | undefined)?.detail
    return new ProblemError(
      502,
      `${this.name} failed: ${call} answered ${answer.status}` +
        (typeof detail === 'string' ? ` (${detail})` : ''),
      {
        title: 'Upstream failure',
        type: problemType('upstream-failure'),
        extensions: {
          upstream: {
            service: this.name,
            status: answer.status,
            servedBy: answer.headers.get('x-served-by') ?? undefined,
          },
        },
      },
    )
  }
}

function causeOf(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string }
  return code ?? message ?? String(error)
}

function headersOf(raw: IncomingHttpHeaders): Headers {
  const headers = new Headers()
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item)
    else if (value !== undefined) headers.set(name, value)
  }
  return headers
}
