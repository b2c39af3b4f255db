import { timingSafeEqual, createHash } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Socket } from 'node:net'
import { trace } from '@shop/tracing'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Counter, type Registry } from 'prom-client'
import { Type, type Static } from '@shop/contracts/typebox'
import { ConfigError } from '../config.js'
import { PROBLEM_CONTENT_TYPE, problemType } from '../problem.js'
import { settingsValidator, type SettingsIssue } from '../settings.js'

/**
 * One fault rule. A request whose path matches `route` gets, independently: `latencyMs` plus up to
 * `jitterMs` of delay (for `latencyPercent` of them), an `errorStatus` answer (for `errorPercent`),
 * or no answer at all (for `hangPercent`). The first rule whose route matches a request applies.
 */
export const FaultRuleSchema = Type.Object(
  {
    route: Type.String({
      minLength: 1,
      pattern: '^[*/]',
      default: '*',
      description: 'Path pattern; `*` matches any characters: `/api/inventory*`. Default: every route',
    }),
    latencyMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 30_000 })),
    jitterMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 30_000 })),
    latencyPercent: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
    errorStatus: Type.Optional(Type.Enum([500, 503])),
    errorPercent: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
    hangPercent: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
  },
  { additionalProperties: false },
)
export const FaultRulesSchema = Type.Array(FaultRuleSchema, { maxItems: 50 })
export type FaultRule = Static<typeof FaultRuleSchema>

/** The variables of the fault controls, part of every service's configuration. */
export const faultConfigProperties = {
  /** JSON array of fault rules applied from the start; unset: no faults. */
  FAULTS: Type.Optional(Type.String()),
  /** When set, `PUT /admin/faults` replaces the rules at run time for callers that present it. */
  FAULT_ADMIN_TOKEN: Type.Optional(Type.String({ minLength: 16 })),
}
export interface FaultConfig {
  FAULTS?: string | undefined
  FAULT_ADMIN_TOKEN?: string | undefined
}

export const FAULT_HEADER = 'x-fault-injected'
/** Probes, metrics, the API description and the admin route itself are never faulted. */
const UNFAULTED_PATH = /^\/(healthz|readyz|metrics|openapi\.json|docs|admin\/)/

/** Parses FAULTS; a malformed value stops the start with one line naming the variable. */
export function parseFaultRules(json: string | undefined): FaultRule[] {
  if (json === undefined || json.trim() === '') return []
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch (error) {
    throw new ConfigError(`Invalid configuration: FAULTS is not JSON (${(error as Error).message})`)
  }
  const checked = checkRules(value)
  if ('problem' in checked) throw new ConfigError(`Invalid configuration: FAULTS ${checked.problem}`)
  return checked.rules
}

let rulesValidator: ((rules: unknown) => SettingsIssue | undefined) | undefined

/**
 * The rules with their defaults filled in (on a copy), or what is wrong with them. The check is made
 * once, when FAULTS or the admin route first needs it.
 */
function checkRules(value: unknown): { rules: FaultRule[] } | { problem: string } {
  rulesValidator ??= settingsValidator(FaultRulesSchema, { coerceTypes: false })
  const rules = structuredClone(value)
  const error = rulesValidator(rules)
  if (error) {
    const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues
    return {
      problem: `${error.instancePath || '/'} ${allowed ? `must be one of ${allowed.join(', ')}` : error.message}`,
    }
  }
  const empty = (rules as FaultRule[]).findIndex(
    (rule) =>
      rule.latencyMs === undefined &&
      rule.errorStatus === undefined &&
      rule.errorPercent === undefined &&
      rule.hangPercent === undefined,
  )
  return empty >= 0
    ? { problem: `/${empty} names no fault: set latencyMs, errorStatus/errorPercent or hangPercent` }
    : { rules: rules as FaultRule[] }
}

/** `/api/inventory*` -> a regular expression on the whole path. */
function routeMatcher(pattern: string): RegExp {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
  return new RegExp(`^${escaped.join('.*')}$`)
}

interface ActiveRule extends FaultRule {
  matches: RegExp
}

const chance = (percent: number) => percent > 0 && Math.random() * 100 < percent

/**
 * Fault injection inside the service, for the mesh lab (docs/mesh/11-mesh-lab.md): added latency,
 * errors and hangs, per route pattern and share of requests, from FAULTS at start and from
 * `PUT /admin/faults` at run time. Every injected fault shows: the `x-fault-injected` header, a log
 * line with the request id, `faults_injected_total{kind,route}` and a `fault.injected` span event.
 */
export function registerFaults(app: FastifyInstance, config: FaultConfig, metrics: Registry): void {
  let rules = activate(parseFaultRules(config.FAULTS))
  const injected = new Counter({
    name: 'faults_injected_total',
    help: 'Faults injected by the fault controls, by kind (latency, error, hang) and route',
    labelNames: ['kind', 'route'],
    registers: [metrics],
  })
  // Hung requests hold their sockets until the client gives up; on shutdown they are cut, so a hang
  // never holds SIGTERM past the grace period. Delays end early on shutdown for the same reason.
  const hung = new Set<Socket>()
  const stopping = new AbortController()
  app.addHook('preClose', async () => {
    stopping.abort()
    for (const socket of hung) socket.destroy()
  })

  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0]!
    if (!rules.length || UNFAULTED_PATH.test(path)) return
    const rule = rules.find((candidate) => candidate.matches.test(path))
    if (!rule) return
    const note = (kind: string, details: Record<string, unknown>) => {
      const route = request.routeOptions.url ?? 'unmatched'
      injected.inc({ kind, route })
      request.log.warn({ fault: { kind, rule: rule.route, ...details } }, 'fault injected')
      trace.getActiveSpan()?.addEvent('fault.injected', {
        'fault.kind': kind,
        'fault.rule': rule.route,
        ...Object.fromEntries(Object.entries(details).map(([key, value]) => [`fault.${key}`, String(value)])),
      })
    }

    if (chance(rule.hangPercent ?? 0)) {
      note('hang', {})
      const socket = request.raw.socket
      hung.add(socket)
      socket.once('close', () => hung.delete(socket))
      return new Promise<void>(() => {})
    }
    const shown: string[] = []
    if (rule.latencyMs !== undefined && chance(rule.latencyPercent ?? 100)) {
      const delayMs = rule.latencyMs + Math.round(Math.random() * (rule.jitterMs ?? 0))
      note('latency', { delayMs })
      shown.push(`latency=${delayMs}ms`)
      await sleep(delayMs, undefined, { signal: stopping.signal }).catch(() => {})
    }
    const errorStatus = rule.errorStatus ?? 500
    if (
      (rule.errorStatus !== undefined || rule.errorPercent !== undefined) &&
      chance(rule.errorPercent ?? 100)
    ) {
      note('error', { status: errorStatus })
      shown.push(`error=${errorStatus}`)
      reply.header(FAULT_HEADER, shown.join(', '))
      return sendInjectedError(request, reply, errorStatus)
    }
    if (shown.length) reply.header(FAULT_HEADER, shown.join(', '))
  })

  const token = config.FAULT_ADMIN_TOKEN
  if (!token) return // no admin route at all: 404, like any unknown path
  const guard = async (request: FastifyRequest, reply: FastifyReply) => {
    const denial = checkBearer(request.headers.authorization, token)
    if (denial)
      return reply
        .code(denial)
        .header('www-authenticate', 'Bearer realm="fault-admin"')
        .type(PROBLEM_CONTENT_TYPE)
        .send({
          type: problemType(denial === 401 ? 'unauthorized' : 'forbidden'),
          title: denial === 401 ? 'Unauthorized' : 'Forbidden',
          status: denial,
          detail:
            denial === 401
              ? 'Send Authorization: Bearer <FAULT_ADMIN_TOKEN>'
              : 'That token may not change the faults',
          requestId: request.id,
        })
  }
  const answer = () => ({ rules: rules.map(({ matches: _matches, ...rule }) => rule) })
  app.get('/admin/faults', { schema: { hide: true }, onRequest: guard }, async () => answer())
  app.put(
    '/admin/faults',
    { schema: { hide: true, body: FaultRulesSchema }, onRequest: guard },
    async (request, reply) => {
      const checked = checkRules(request.body)
      if ('problem' in checked)
        return reply
          .code(400)
          .type(PROBLEM_CONTENT_TYPE)
          .send({
            type: problemType('invalid-request'),
            title: 'Invalid request',
            status: 400,
            detail: `body${checked.problem}`,
            requestId: request.id,
          })
      rules = activate(checked.rules)
      request.log.warn({ faults: answer().rules }, 'fault rules replaced')
      return answer()
    },
  )
}

function activate(rules: FaultRule[]): ActiveRule[] {
  return rules.map((rule) => ({ ...rule, matches: routeMatcher(rule.route) }))
}

/** 401 without a well-formed bearer token, 403 with the wrong one, undefined with the right one. */
function checkBearer(header: string | undefined, token: string): 401 | 403 | undefined {
  const presented = /^Bearer ([^\s]+)$/i.exec(header ?? '')?.[1]
  if (!presented) return 401
  const digest = (value: string) => createHash('sha256').update(value).digest()
  return timingSafeEqual(digest(presented), digest(token)) ? undefined : 403
}

function sendInjectedError(request: FastifyRequest, reply: FastifyReply, status: number) {
  return reply
    .code(status)
    .type(PROBLEM_CONTENT_TYPE)
    .send({
      type: problemType('injected-fault'),
      title: status === 503 ? 'Service Unavailable' : 'Internal Server Error',
      status,
      detail: 'A fault was injected on purpose by the fault controls (FAULTS or PUT /admin/faults).',
      requestId: request.id,
    })
}
