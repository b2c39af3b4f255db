import type { IncomingHttpHeaders } from 'node:http'
import { createRequire } from 'node:module'
import type * as Undici from 'undici'
import { headerValue } from './headers.js'
import { ProblemError, problemType } from './problem.js'

// undici's `Pool` and its `request`, alone: undici's index loads all of it (fetch, WebSocket, caches,
// mocks: 109 modules, 1.25 MB of source against 24 and 0.33 MB), 2-3 MiB of every calling app's idle
// memory (packages/bench/README.md). These paths are undici's own layout, pinned with its version; the
// index only adds `request` to the dispatchers' prototype, so it is called on the pool here instead.
const requireUndici = createRequire(import.meta.url)
const Pool = requireUndici('undici/lib/dispatcher/pool.js') as typeof Undici.Pool
const poolRequest = requireUndici('undici/lib/api/api-request.js') as (
  this: Undici.Pool,
  options: Undici.Dispatcher.RequestOptions,
) => Promise<Undici.Dispatcher.ResponseData>

export interface UpstreamResponse<Body> {
  readonly status: number
  /** The answer's JSON, parsed when first read: a 502 problem if it is not JSON after all. */
  readonly body: Body
  /** The answer's JSON as received: a caller passing it on unchanged sends these, never decoded. */
  readonly bytes: Buffer
  /** The answer's JSON as text, decoded when first read. */
  readonly text: string
  readonly headers: IncomingHttpHeaders
}

export interface UpstreamRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE'
  /** Sent as JSON. */
  body?: unknown
  headers?: Record<string, string | undefined>
}

/**
 * Another service of the shop, called over HTTP with a timeout on every call. The caller's trace
 * context and x-request-id travel with each call (the tracing module injects them into undici).
 * There are no retries here: retrying belongs to the mesh, and the routes it may retry are idempotent.
 *
 * Calls go through one pool of keep-alive connections per service (undici's `Pool`): the WHATWG
 * `fetch` on top of the same client spent about a fifth of the BFF's CPU per request on streams,
 * `Request`/`Response`/`Headers` objects and their garbage (profiled, packages/bench/README.md).
 *
 * Answers below 500 come back to the caller to interpret (a 409 from the inventory means something).
 * A timeout, an unreachable service, a 5xx or an answer that is not JSON becomes a ProblemError (504 or
 * 502) that names the service, so the person sees which hop failed. An answer is JSON by its content
 * type and by opening and closing as an object or array; its body is parsed only when a caller reads it,
 * which the BFF relaying the catalog's pages never does: parsing each page, and collecting what that
 * made, was a tenth of the BFF's work per page (packages/bench/README.md).
 */
export class Upstream {
  private readonly pool: Undici.Pool
  /** The base URL's path (`/prefix`, or empty), put before every call's path. */
  private readonly prefix: string

  constructor(
    readonly name: string,
    readonly baseUrl: string,
    readonly timeoutMs: number,
  ) {
    const url = new URL(baseUrl)
    this.pool = new Pool(url.origin)
    this.prefix = url.pathname.replace(/\/+$/, '')
  }

  async call<Body = unknown>(path: string, request: UpstreamRequest = {}): Promise<UpstreamResponse<Body>> {
    const method = request.method ?? 'GET'
    const headers: Record<string, string> = { accept: 'application/json' }
    for (const [name, value] of Object.entries(request.headers ?? {}))
      if (value !== undefined) headers[name] = value
    if (request.body !== undefined) headers['content-type'] = 'application/json'

    let status: number
    let responseHeaders: IncomingHttpHeaders
    let bytes: Buffer
    // Not AbortSignal.timeout: its timer cannot be cleared, so it kept each call's context (the trace's
    // spans and the caller's request) alive long after the answer, until it fired or a collection found
    // its signal unused (packages/bench/README.md); this one goes when the call ends.
    const abort = new AbortController()
    const timer = setTimeout(() => abort.abort(timeoutError(this.timeoutMs)), this.timeoutMs)
    try {
      const response = await poolRequest.call(this.pool, {
        path: `${this.prefix}${path}`,
        method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: abort.signal,
      })
      status = response.statusCode
      responseHeaders = response.headers
      bytes = withoutByteOrderMark(await response.body.bytes())
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
    } finally {
      clearTimeout(timer)
    }

    const answer = new UpstreamAnswer<Body>(this, `${method} ${path}`, status, bytes, responseHeaders)
    if (status >= 500 || (status !== 204 && !(isJson(responseHeaders['content-type']) && isWhole(bytes))))
      throw this.unexpected(answer.call, answer)
    return answer
  }

  /**
   * A 502 problem for an answer the caller cannot use: a 5xx, or a status the contract does not
   * allow. It names the service, its status and detail, and the version that answered.
   */
  unexpected(call: string, answer: UpstreamResponse<unknown>): ProblemError {
    const detail = (parsedOrUndefined(answer.text) as { detail?: unknown } | undefined)?.detail
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
            servedBy: headerValue(answer.headers, 'x-served-by'),
          },
        },
      },
    )
  }
}

/**
 * An answer whose body is decoded and parsed on first read: a 502 problem then if it is not JSON
 * after all. Kept as bytes until then: the BFF passing a catalog page on, decoded to text and encoded
 * again, spent about 2% of its instructions per page (15,700 of 845,000) measuring and copying the
 * same UTF-8 (packages/bench/README.md).
 */
class UpstreamAnswer<Body> implements UpstreamResponse<Body> {
  private parsed?: { body: Body }
  private decoded?: string

  constructor(
    private readonly upstream: Upstream,
    /** `GET /path`, for the problem. */
    readonly call: string,
    readonly status: number,
    readonly bytes: Buffer,
    readonly headers: IncomingHttpHeaders,
  ) {}

  get text(): string {
    return (this.decoded ??= this.bytes.toString('utf8'))
  }

  get body(): Body {
    if (!this.parsed) {
      const body = parsedOrUndefined(this.text)
      if (body === undefined && this.status !== 204) throw this.upstream.unexpected(this.call, this)
      this.parsed = { body: body as Body }
    }
    return this.parsed.body
  }
}

/** `application/json`, `application/problem+json` and the like, with or without parameters. */
function isJson(contentType: string | undefined): boolean {
  const mediaType = contentType?.split(';', 1)[0]!.trim().toLowerCase()
  return (
    mediaType === 'application/json' ||
    (mediaType?.startsWith('application/') === true && mediaType.endsWith('+json'))
  )
}

/**
 * Opens and closes as one JSON object or array, as every answer of the shop's services does; a proxy's
 * page or an answer cut short does not. Checked without parsing, for the answers passed on unread.
 */
function isWhole(bytes: Buffer): boolean {
  let first = 0
  let last = bytes.length - 1
  while (first < last && isSpace(bytes[first]!)) first++
  while (last > first && isSpace(bytes[last]!)) last--
  const opening = bytes[first]
  const closing = bytes[last]
  return (
    first < last &&
    ((opening === OPENING_BRACE && closing === CLOSING_BRACE) ||
      (opening === OPENING_BRACKET && closing === CLOSING_BRACKET))
  )
}

const OPENING_BRACE = 0x7b
const CLOSING_BRACE = 0x7d
const OPENING_BRACKET = 0x5b
const CLOSING_BRACKET = 0x5d

/** The body as a Buffer (what Fastify sends as it is), without a UTF-8 byte order mark, as `text()` read it. */
function withoutByteOrderMark(body: Uint8Array): Buffer {
  const start = body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? 3 : 0
  return Buffer.from(body.buffer, body.byteOffset + start, body.byteLength - start)
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09
}

function parsedOrUndefined(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined
  } catch {
    return undefined
  }
}

/** A `TimeoutError`, as `AbortSignal.timeout` gives: how the call tells a timeout from a failure. */
function timeoutError(timeoutMs: number): DOMException {
  return new DOMException(`The operation timed out after ${timeoutMs} ms`, 'TimeoutError')
}

function causeOf(error: unknown): string {
  const { code, cause } = error as { code?: string; cause?: { code?: string; message?: string } }
  return code ?? cause?.code ?? cause?.message ?? String(error)
}
