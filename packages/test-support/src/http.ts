import { expect } from 'vitest'

export interface JsonAnswer<Body> {
  status: number
  headers: Headers
  /** The body parsed as JSON (an empty object when there is none). */
  body: Body
  text: string
}

export interface JsonRequest {
  method?: string
  /** Sent as JSON; a string is sent as it is (to test malformed bodies). */
  body?: unknown
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string
  headers?: Record<string, string>
}

/** One HTTP call to an app, the way the tests talk to the services. */
export async function callJson<Body = Record<string, unknown>>(
  url: string,
  request: JsonRequest = {},
): Promise<JsonAnswer<Body>> {
  const headers: Record<string, string> = { ...request.headers }
  if (request.token) headers.authorization = `Bearer ${request.token}`
  if (request.body !== undefined) headers['content-type'] ??= 'application/json'
  const response = await fetch(url, {
    method: request.method ?? (request.body === undefined ? 'GET' : 'POST'),
    headers,
    body:
      request.body === undefined
        ? undefined
        : typeof request.body === 'string'
          ? request.body
          : JSON.stringify(request.body),
  })
  const text = await response.text()
  return {
    status: response.status,
    headers: response.headers,
    body: (text ? JSON.parse(text) : {}) as Body,
    text,
  }
}

/** The answer is an RFC 9457 problem with this status, carrying the request id of the response. */
export function expectProblem(answer: JsonAnswer<unknown>, status: number, label?: string): void {
  expect(answer.status, label).toBe(status)
  expect(answer.headers.get('content-type'), label).toMatch(/^application\/problem\+json/)
  expect(answer.body, label).toMatchObject({ status, requestId: answer.headers.get('x-request-id') })
}
