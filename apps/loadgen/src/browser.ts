import type { Outcome } from './stats.js'
import { parseServedBy } from './versions.js'

export interface Answer<Body = unknown> {
  status: number
  body: Body
}

export interface Step {
  /** The route template the request counts under: `GET /api/products/:id`. */
  route: string
  path: string
  body?: unknown
  headers?: Record<string, string>
  /** Statuses that are a normal outcome of this step (default: any 2xx). */
  expect?: number[]
}

export class UnexpectedAnswer extends Error {
  constructor(
    readonly route: string,
    readonly status: number,
  ) {
    super(`${route} answered ${status}`)
  }
}

/**
 * One visitor's browser, as the UI's backend sees it: a cookie jar (the session and CSRF cookies),
 * and the CSRF token sent as `x-csrf-token` with every state-changing request, as the page does.
 */
export class VirtualBrowser {
  private readonly cookies = new Map<string, string>()
  private csrfToken: string | undefined

  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
    private readonly record: (outcome: Outcome) => void,
  ) {}

  /** Sends the step; throws UnexpectedAnswer unless the status is one the step expects. */
  async send<Body = Record<string, unknown>>(step: Step): Promise<Answer<Body>> {
    const method = step.route.slice(0, step.route.indexOf(' '))
    const headers: Record<string, string> = { accept: 'application/json', ...step.headers }
    if (step.body !== undefined) headers['content-type'] = 'application/json'
    if (method !== 'GET') headers['x-csrf-token'] = await this.csrf()
    if (this.cookies.size)
      headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')

    const started = performance.now()
    let status: number
    let body: unknown
    let servedBy: string[] = []
    try {
      const response = await fetch(`${this.baseUrl}${step.path}`, {
        method,
        headers,
        body: step.body === undefined ? undefined : JSON.stringify(step.body),
        signal: AbortSignal.timeout(this.timeoutMs),
      })
      status = response.status
      servedBy = parseServedBy(response.headers.get('x-shop-served-by'))
      this.keepCookies(response.headers.getSetCookie())
      const text = await response.text()
      body = text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text
    } catch {
      status = 0
    }
    const expected = step.expect ? step.expect.includes(status) : status >= 200 && status < 300
    this.record({
      route: step.route,
      status,
      latencyMs: performance.now() - started,
      expected,
      servedBy,
      failedService: status >= 500 ? blamedService(body) : undefined,
    })
    if (!expected) throw new UnexpectedAnswer(step.route, status)
    return { status, body: body as Body }
  }

  /** Forgets the session, as signing out or closing the browser would. */
  forgetSession(): void {
    this.cookies.clear()
    this.csrfToken = undefined
  }

  private async csrf(): Promise<string> {
    if (!this.csrfToken) {
      const { body } = await this.send<{ token: string }>({
        route: 'GET /api/csrf-token',
        path: '/api/csrf-token',
      })
      this.csrfToken = body.token
    }
    return this.csrfToken
  }

  private keepCookies(setCookies: string[]): void {
    for (const header of setCookies) {
      const [pair = '', ...attributes] = header.split(';')
      const separator = pair.indexOf('=')
      const name = pair.slice(0, separator).trim()
      const value = pair.slice(separator + 1).trim()
      const expired =
        value === '' ||
        attributes.some((attribute) => {
          const [key = '', setting = ''] = attribute.trim().split('=')
          if (/^max-age$/i.test(key)) return Number(setting) <= 0
          return /^expires$/i.test(key) && Date.parse(setting) <= Date.now()
        })
      if (expired) this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
  }
}

/** The service a BFF problem names as the one that failed (`upstream.service`), if any. */
function blamedService(body: unknown): string | undefined {
  const service = (body as { upstream?: { service?: unknown } } | undefined)?.upstream?.service
  return typeof service === 'string' ? service : undefined
}
