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
 * context and x-request-id travel with each call (the tracing module injects them into fetch).
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

    let response: Response
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.timeout(this.timeoutMs),
      })
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

    const text = await response.text()
    let body: unknown
    try {
      body = text ? JSON.parse(text) : undefined
    } catch {
      body = undefined
    }
    const answer = { status: response.status, body: body as Body, headers: response.headers }
    if (response.status >= 500 || (body === undefined && response.status !== 204))
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
  const cause = (error as { cause?: { code?: string; message?: string } }).cause
  return cause?.code ?? cause?.message ?? String(error)
}
