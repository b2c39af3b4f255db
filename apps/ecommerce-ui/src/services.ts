import type { FastifyReply, FastifyRequest } from 'fastify'
import type { APPS } from '@shop/contracts'
import { headerValue, ProblemError, problemType } from '@shop/service-kit'
import { Upstream, type UpstreamRequest, type UpstreamResponse } from '@shop/service-kit/upstream'
import type { Config } from './config.js'
import { forwardedChain } from './client-address.js'
import { clearSession, sessionToken } from './session.js'

const JSON_TYPE = 'application/json; charset=utf-8'

/** The six services the page reaches through this BFF, by their names in the mesh. */
export type ServiceName = (typeof APPS)['ecommerce-ui']['calls'][number]

export type Upstreams = Record<ServiceName, Upstream>

export function createUpstreams(config: Config): Upstreams {
  const timeout = config.UPSTREAM_TIMEOUT_MS
  return {
    'product-catalog': new Upstream('product-catalog', config.PRODUCT_CATALOG_URL, timeout),
    'product-inventory': new Upstream('product-inventory', config.PRODUCT_INVENTORY_URL, timeout),
    'profile-management': new Upstream('profile-management', config.PROFILE_MANAGEMENT_URL, timeout),
    'order-management': new Upstream(
      'order-management',
      config.ORDER_MANAGEMENT_URL,
      config.ORDER_MANAGEMENT_TIMEOUT_MS,
    ),
    'shipping-and-handling': new Upstream('shipping-and-handling', config.SHIPPING_AND_HANDLING_URL, timeout),
    'contact-support-team': new Upstream('contact-support-team', config.CONTACT_SUPPORT_TEAM_URL, timeout),
  }
}

export interface CallOptions extends UpstreamRequest {
  /**
   * Send the session's token as `Authorization: Bearer`, the only identity the BFF ever passes on:
   * `true` needs a session (401 without one), `'if-signed-in'` sends it when there is one.
   */
  asUser?: boolean | 'if-signed-in'
}

/**
 * The calls one browser request makes to the services. Each answer's `x-served-by` is remembered, so
 * the response can tell the page which versions served it; trace headers and x-request-id are added
 * to every call by the tracing module.
 */
export class ServiceCalls {
  /** `product-catalog/v2`, ... in the order they answered, each once. */
  readonly servedBy = new Set<string>()

  constructor(
    private readonly upstreams: Upstreams,
    private readonly request: FastifyRequest,
    private readonly reply: FastifyReply,
  ) {}

  /** Calls a service and answers whatever it answered below 500 (5xx and timeouts throw problems). */
  async send<Body>(
    service: ServiceName,
    path: string,
    options: CallOptions = {},
  ): Promise<UpstreamResponse<Body>> {
    const { asUser, ...request } = options
    // The services see the browser as one more hop: the same X-Forwarded-For a proxy would send, so that
    // their own per-client limits (sign-in, tickets) can tell people apart behind this BFF.
    const headers: Record<string, string | undefined> = {
      ...request.headers,
      'x-forwarded-for': forwardedChain(this.request).join(', '),
    }
    const token =
      asUser === 'if-signed-in' ? sessionToken(this.request) : asUser ? this.requireToken() : undefined
    if (token) headers.authorization = `Bearer ${token}`
    try {
      const response = await this.upstreams[service].call<Body>(path, { ...request, headers })
      this.record(headerValue(response.headers, 'x-served-by'))
      if (token && response.status === 401) {
        // The token expired or its keys rotated: forget it, so the page shows the person as signed out.
        clearSession(this.reply)
        throw new ProblemError(401, 'Your session has ended: sign in again.', {
          title: 'Sign-in required',
          type: problemType('unauthorized'),
        })
      }
      return response
    } catch (error) {
      if (error instanceof ProblemError)
        this.record((error.extensions.upstream as { servedBy?: string } | undefined)?.servedBy)
      throw error
    }
  }

  /** Calls a service and answers its body; an answer of 400 or more is passed on as the same problem. */
  async fetch<Body>(service: ServiceName, path: string, options: CallOptions = {}): Promise<Body> {
    const response = await this.send<Body>(service, path, options)
    if (response.status >= 400) throw relayedProblem(response)
    return response.body
  }

  /**
   * Calls a service and answers its JSON as it came, unparsed by this BFF and not serialized again,
   * where the BFF adds nothing to it (the catalog's answers). The call still checks it: a 5xx, a
   * body that is not JSON or a timeout is a 502/504 problem, a 4xx passed on as the same problem.
   */
  async relay(service: ServiceName, path: string, options: CallOptions = {}): Promise<FastifyReply> {
    return this.passOn(await this.send(service, path, options))
  }

  /** A service's answer, as the BFF's own: its JSON as it came, or its 4xx as the same problem. */
  passOn(response: UpstreamResponse<unknown>): FastifyReply {
    if (response.status >= 400) throw relayedProblem(response)
    return this.reply.code(response.status).type(JSON_TYPE).send(response.bytes)
  }

  /** The session's token, or a 401 problem when the browser is not signed in. */
  requireToken(): string {
    const token = sessionToken(this.request)
    if (!token)
      throw new ProblemError(401, 'Sign in to continue.', {
        title: 'Sign-in required',
        type: problemType('unauthorized'),
      })
    return token
  }

  private record(servedBy: string | null | undefined): void {
    if (servedBy) this.servedBy.add(servedBy)
  }
}

/** `?a=1&b=2` of the defined values, or nothing. */
export function queryString(values: Record<string, string | number | undefined>): string {
  let query = ''
  for (const name in values) {
    const value = values[name]
    if (value !== undefined)
      query += `${query ? '&' : '?'}${encodeURIComponent(name)}=${encodeURIComponent(value)}`
  }
  return query
}

/** A service's 4xx problem, passed on to the page with its status, title and members. */
export function relayedProblem(response: UpstreamResponse<unknown>): ProblemError {
  const {
    type,
    title,
    detail,
    status: _status,
    requestId: _requestId,
    ...members
  } = (response.body ?? {}) as Record<string, unknown>
  return new ProblemError(
    response.status,
    typeof detail === 'string' ? detail : `The request was refused (${response.status})`,
    {
      title: typeof title === 'string' ? title : undefined,
      type: typeof type === 'string' ? type : undefined,
      extensions: members,
    },
  )
}
