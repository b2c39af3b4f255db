/** An answer of the BFF, as a test reads it. */
export interface Answer<Body = Record<string, unknown>> {
  status: number
  headers: Headers
  body: Body
  text: string
}

export interface SendOptions {
  body?: unknown
  headers?: Record<string, string>
  /** Send the CSRF token (fetched on first use), as the page does for POST, PUT and DELETE. */
  csrf?: boolean
}

/**
 * A browser as the BFF sees it, without the page: a cookie jar and the CSRF token in `x-csrf-token`.
 * Cookies are kept by name only (one host, path /), which is all the BFF sets.
 */
export class ShopClient {
  readonly cookies = new Map<string, string>()
  /** The attributes of the last Set-Cookie of each cookie, e.g. `HttpOnly; SameSite=Lax; Path=/`. */
  readonly cookieAttributes = new Map<string, string[]>()
  private csrfToken: string | undefined

  constructor(readonly baseUrl: string) {}

  get<Body = Record<string, unknown>>(path: string, headers: Record<string, string> = {}) {
    return this.send<Body>('GET', path, { headers })
  }

  async send<Body = Record<string, unknown>>(
    method: string,
    path: string,
    options: SendOptions = {},
  ): Promise<Answer<Body>> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers }
    if (options.body !== undefined) headers['content-type'] = 'application/json'
    if ((options.csrf ?? method !== 'GET') && method !== 'GET') headers['x-csrf-token'] = await this.token()
    if (this.cookies.size)
      headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    })
    this.keep(response.headers.getSetCookie())
    const text = await response.text()
    let body: unknown
    try {
      body = text ? JSON.parse(text) : undefined
    } catch {
      body = undefined
    }
    return { status: response.status, headers: response.headers, body: body as Body, text }
  }

  async token(): Promise<string> {
    this.csrfToken ??= (await this.get<{ token: string }>('/api/csrf-token')).body.token
    return this.csrfToken
  }

  private keep(setCookies: string[]): void {
    for (const header of setCookies) {
      const [pair = '', ...attributes] = header.split(';').map((part) => part.trim())
      const [name = '', value = ''] = pair.split(/=(.*)/s)
      this.cookieAttributes.set(name, attributes)
      const expired = attributes.some(
        (attribute) => /^expires=/i.test(attribute) && Date.parse(attribute.slice(8)) < Date.now(),
      )
      if (!value || expired || attributes.some((attribute) => /^max-age=0$/i.test(attribute)))
        this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
  }
}

let accounts = 0

/** A new account's sign-up body, unique to this test run. */
export function newAccount(prefix = 'shopper') {
  accounts++
  return {
    email: `${prefix}-${Date.now().toString(36)}-${accounts}-${Math.random().toString(36).slice(2, 7)}@example.com`,
    password: 'correct horse battery',
    firstName: 'Ada',
    lastName: 'Lovelace',
  }
}

/** A US address the shipping rules accept, for checkouts in tests. */
export const ADDRESS = {
  line1: '1 Market St',
  city: 'San Francisco',
  region: 'CA',
  postalCode: '94103',
  country: 'US',
}
