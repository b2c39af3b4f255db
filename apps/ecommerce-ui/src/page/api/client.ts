import { mesh, type CallReport } from './mesh'

/** A failed request, as the page tells it to the person: what went wrong and the id to quote. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly requestId: string | undefined,
    readonly traceUrl: string | undefined,
    /** The problem's own members (for example the products that are short). */
    readonly problem: Record<string, unknown> = {},
  ) {
    super(detail)
    this.name = 'ApiError'
  }

  get type(): string | undefined {
    return typeof this.problem.type === 'string' ? this.problem.type : undefined
  }
}

export interface ApiResponse<T> {
  data: T
  report: CallReport
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE'
  body?: unknown
  headers?: Record<string, string>
  signal?: AbortSignal
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'DELETE'])
/** Dispatched on window when the BFF answers 401: whoever was signed in is not any more. */
export const SESSION_ENDED = 'shop:session-ended'
let csrfToken: Promise<string> | undefined

/** The CSRF token every POST, PUT and DELETE carries; fetched once, again if the BFF refuses it. */
function currentCsrfToken(): Promise<string> {
  csrfToken ??= request<{ token: string }>('/api/csrf-token').then(({ data }) => data.token)
  csrfToken.catch(() => (csrfToken = undefined))
  return csrfToken
}

/**
 * Calls the BFF. Every answer's served-by, request id and trace link are reported to the mesh store
 * (the footer shows them); a failure becomes an ApiError with the request id, never a silent blank.
 */
export async function request<T>(
  path: string,
  options: RequestOptions = {},
  retried = false,
): Promise<ApiResponse<T>> {
  const method = options.method ?? 'GET'
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers }
  if (options.body !== undefined) headers['content-type'] = 'application/json'
  if (STATE_CHANGING.has(method)) headers['x-csrf-token'] = await currentCsrfToken()
  const canary = mesh.canary()
  if (canary) headers['x-canary'] = canary

  const page = mesh.currentPage()
  let response: Response
  try {
    response = await fetch(path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'same-origin',
      signal: options.signal,
    })
  } catch (error) {
    if (options.signal?.aborted) throw error
    throw new ApiError(
      0,
      'The shop could not be reached',
      'Check your connection and try again.',
      undefined,
      undefined,
    )
  }

  const report: CallReport = {
    page,
    method,
    path,
    status: response.status,
    servedBy: (response.headers.get('x-shop-served-by') ?? response.headers.get('x-served-by') ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
    requestId: response.headers.get('x-request-id') ?? undefined,
    traceUrl: response.headers.get('x-shop-trace-url') ?? undefined,
  }
  if (!options.signal?.aborted) mesh.report(report)

  const text = await response.text()
  let body: unknown
  try {
    body = text ? JSON.parse(text) : undefined
  } catch {
    body = undefined
  }
  if (response.ok) return { data: body as T, report }

  const problem = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>
  // The session ended (expired token): the BFF dropped the cookie, and the page should know it too.
  if (response.status === 401 && !path.startsWith('/api/auth/'))
    window.dispatchEvent(new Event(SESSION_ENDED))
  if (response.status === 403 && /csrf/i.test(String(problem.detail)) && !retried) {
    // The CSRF cookie expired or was cleared: fetch a new token and try once more.
    csrfToken = undefined
    return request<T>(path, options, true)
  }
  throw new ApiError(
    response.status,
    typeof problem.title === 'string' ? problem.title : `The shop answered ${response.status}`,
    typeof problem.detail === 'string'
      ? problem.detail
      : text && !body
        ? text.slice(0, 200)
        : 'Something went wrong on our side. Please try again.',
    typeof problem.requestId === 'string' ? problem.requestId : report.requestId,
    report.traceUrl,
    problem,
  )
}

export const api = {
  get: async <T>(path: string, signal?: AbortSignal) => (await request<T>(path, { signal })).data,
  post: async <T>(path: string, body?: unknown, headers?: Record<string, string>) =>
    (await request<T>(path, { method: 'POST', body, headers })).data,
  put: async <T>(path: string, body: unknown) => (await request<T>(path, { method: 'PUT', body })).data,
  delete: async <T>(path: string) => (await request<T>(path, { method: 'DELETE' })).data,
}

/** A query string of the defined values only. */
export function query(values: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams()
  for (const [name, value] of Object.entries(values))
    if (value !== undefined && value !== '') params.set(name, String(value))
  const text = params.toString()
  return text ? `?${text}` : ''
}
