import * as networkingV1 from '@kubernetes-models/istio/networking.istio.io/v1'
import * as networkingV1alpha3 from '@kubernetes-models/istio/networking.istio.io/v1alpha3'
import * as securityV1 from '@kubernetes-models/istio/security.istio.io/v1'
import * as securityV1beta1 from '@kubernetes-models/istio/security.istio.io/v1beta1'
import * as telemetryV1 from '@kubernetes-models/istio/telemetry.istio.io/v1'
import * as appsV1 from 'kubernetes-models/apps/v1'
import * as batchV1 from 'kubernetes-models/batch/v1'
import * as rbacV1 from 'kubernetes-models/rbac.authorization.k8s.io/v1'
import * as coreV1 from 'kubernetes-models/v1'
import { nameOf, type K8sObject } from './objects.js'

interface ModelClass {
  new (data: never): { validate(): void }
}

/** The schema of each apiVersion: the model classes of kubernetes-models and @kubernetes-models/istio. */
const MODELS: Record<string, Record<string, unknown>> = {
  v1: coreV1,
  'apps/v1': appsV1,
  'batch/v1': batchV1,
  'rbac.authorization.k8s.io/v1': rbacV1,
  'networking.istio.io/v1': networkingV1,
  'networking.istio.io/v1alpha3': networkingV1alpha3,
  'security.istio.io/v1': securityV1,
  'security.istio.io/v1beta1': securityV1beta1,
  'telemetry.istio.io/v1': telemetryV1,
}

/** Gateway API kinds: not covered by the installed model packages, so checked structurally here. */
const GATEWAY_API = 'gateway.networking.k8s.io/v1'

/** Which check applies to an object: 'schema' (model class) or 'structural' (Gateway API). */
export function schemaKind(object: K8sObject): 'schema' | 'structural' | undefined {
  if (object.apiVersion === GATEWAY_API && ['Gateway', 'HTTPRoute'].includes(object.kind)) return 'structural'
  return modelOf(object) ? 'schema' : undefined
}

function modelOf(object: K8sObject): ModelClass | undefined {
  const model = MODELS[object.apiVersion]?.[object.kind]
  return typeof model === 'function' ? (model as ModelClass) : undefined
}

/** Validates an object against its schema; throws naming the object and every problem found. */
export function validateObject(object: K8sObject): void {
  const { source: _source, ...data } = object
  if (schemaKind(object) === 'structural') return validateGatewayApi(object)
  const Model = modelOf(object)
  if (!Model) throw new Error(`${nameOf(object)}: no schema known for ${object.apiVersion} ${object.kind}`)
  try {
    new Model(data as never).validate()
  } catch (error) {
    throw new Error(`${nameOf(object)}: ${(error as Error).message}`, { cause: error })
  }
}

// --- Gateway API (v1): the required fields and value shapes of the standard channel's CRDs ---------

interface GatewaySpec {
  gatewayClassName?: unknown
  listeners?: { name?: unknown; port?: unknown; protocol?: unknown; allowedRoutes?: unknown }[]
}

export interface ParentRef {
  group?: string
  kind?: string
  name: string
  namespace?: string
  port?: number
}

export interface BackendRef {
  group?: string
  kind?: string
  name: string
  port?: number
  weight?: number
}

export interface HTTPRouteSpec {
  parentRefs?: ParentRef[]
  hostnames?: string[]
  rules?: {
    matches?: {
      path?: { type?: string; value?: string }
      headers?: { type?: string; name?: string; value?: string }[]
      method?: string
    }[]
    backendRefs?: BackendRef[]
  }[]
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/
const isPort = (value: unknown) =>
  Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 65535

function validateGatewayApi(object: K8sObject): void {
  const problems: string[] = []
  const need = (ok: boolean, problem: string) => ok || problems.push(problem)
  if (object.kind === 'Gateway') {
    const spec = (object.spec ?? {}) as GatewaySpec
    need(
      typeof spec.gatewayClassName === 'string' && spec.gatewayClassName !== '',
      'spec.gatewayClassName is required',
    )
    need(
      Array.isArray(spec.listeners) && spec.listeners.length > 0,
      'spec.listeners needs at least one listener',
    )
    for (const [i, listener] of (spec.listeners ?? []).entries()) {
      need(
        typeof listener.name === 'string' && DNS_LABEL.test(listener.name),
        `listeners[${i}].name must be a DNS label`,
      )
      need(isPort(listener.port), `listeners[${i}].port must be 1-65535`)
      need(
        ['HTTP', 'HTTPS', 'TLS', 'TCP', 'UDP'].includes(listener.protocol as string),
        `listeners[${i}].protocol must be HTTP, HTTPS, TLS, TCP or UDP`,
      )
    }
  } else {
    const spec = (object.spec ?? {}) as HTTPRouteSpec
    need(
      Array.isArray(spec.parentRefs) && spec.parentRefs.length > 0,
      'spec.parentRefs needs at least one parent',
    )
    for (const [i, parent] of (spec.parentRefs ?? []).entries()) {
      need(typeof parent.name === 'string' && parent.name !== '', `parentRefs[${i}].name is required`)
      need(parent.port === undefined || isPort(parent.port), `parentRefs[${i}].port must be 1-65535`)
    }
    for (const [i, rule] of (spec.rules ?? []).entries()) {
      for (const [j, match] of (rule.matches ?? []).entries()) {
        if (match.path)
          need(
            ['Exact', 'PathPrefix', 'RegularExpression'].includes(match.path.type ?? 'PathPrefix') &&
              (match.path.value ?? '/').startsWith('/'),
            `rules[${i}].matches[${j}].path must be an Exact, PathPrefix or RegularExpression path starting with /`,
          )
        for (const [k, header] of (match.headers ?? []).entries())
          need(
            typeof header.name === 'string' && typeof header.value === 'string',
            `rules[${i}].matches[${j}].headers[${k}] needs a name and a value`,
          )
      }
      for (const [j, backend] of (rule.backendRefs ?? []).entries()) {
        need(
          typeof backend.name === 'string' && backend.name !== '',
          `rules[${i}].backendRefs[${j}].name is required`,
        )
        need(
          (backend.kind ?? 'Service') !== 'Service' || isPort(backend.port),
          `rules[${i}].backendRefs[${j}].port is required for a Service`,
        )
        need(
          backend.weight === undefined ||
            (Number.isInteger(backend.weight) && backend.weight >= 0 && backend.weight <= 1_000_000),
          `rules[${i}].backendRefs[${j}].weight must be an integer from 0 to 1000000`,
        )
      }
    }
  }
  if (problems.length) throw new Error(`${nameOf(object)}: ${problems.join('; ')}`)
}
