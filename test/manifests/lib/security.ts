// Security: the AuthorizationPolicies and RequestAuthentications of the set refer to workloads,
// principals, ports and issuers that exist, and isAllowed evaluates the policies as the sidecar does.
import type { IAuthorizationPolicy } from '@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy'
import type { IRequestAuthentication } from '@kubernetes-models/istio/security.istio.io/v1/RequestAuthentication'
import { namespaceOf, selects, specOf, type K8sObject, type Labels } from './objects.js'
import { resolveService, ROOT_NAMESPACE, servicePorts, type CheckedSet, type Workload } from './workloads.js'

type PolicySpec = NonNullable<IAuthorizationPolicy['spec']>
type PolicyRule = NonNullable<PolicySpec['rules']>[number]

const policySpec = (policy: K8sObject) => specOf<IAuthorizationPolicy>(policy)
const authenticationSpec = (authentication: K8sObject) => specOf<IRequestAuthentication>(authentication)

const principalOf = (workload: Workload) =>
  `cluster.local/ns/${workload.namespace}/sa/${workload.serviceAccount}`

/** The workloads a selector in `object`'s namespace selects (in the root namespace: every namespace's). */
function selectedBy(set: CheckedSet, object: K8sObject, selector: Labels | undefined): Workload[] {
  const namespace = namespaceOf(object)
  return set.workloads
    .filter((w) => namespace === ROOT_NAMESPACE || w.namespace === namespace)
    .filter((w) => selects(selector, w.labels))
}

/** AuthorizationPolicies: selectors select workloads, principals exist, ports are served, issuers are known. */
export function checkAuthorizationPolicies(set: CheckedSet): void {
  const { objects, workloads: all, problem } = set
  const principals = new Set([
    ...all.filter((w) => !w.object).map(principalOf),
    ...objects
      .filter((o) => o.kind === 'ServiceAccount')
      .map((o) => `cluster.local/ns/${namespaceOf(o)}/sa/${o.metadata.name}`),
  ])
  const issuers = new Set(
    objects
      .filter((o) => o.kind === 'RequestAuthentication')
      .flatMap((o) => (authenticationSpec(o).jwtRules ?? []).map((rule) => rule.issuer)),
  )
  for (const policy of objects.filter((o) => o.kind === 'AuthorizationPolicy')) {
    const { selector, rules = [] } = policySpec(policy)
    const targets = selectedBy(set, policy, selector?.matchLabels)
    if (selector && !targets.length)
      problem(policy, `its selector ${JSON.stringify(selector.matchLabels)} selects no workload`)
    for (const rule of rules) {
      for (const { source = {} } of rule.from ?? []) {
        for (const principal of [...(source.principals ?? []), ...(source.notPrincipals ?? [])])
          if (!principals.has(principal))
            problem(policy, `principal ${principal} is no ServiceAccount of the set nor a known gateway`)
        for (const requestPrincipal of source.requestPrincipals ?? []) {
          const issuer = requestPrincipal.replace(/\/[^/]*$/, '')
          if (requestPrincipal !== '*' && !issuers.has(issuer))
            problem(
              policy,
              `request principal ${requestPrincipal}: no RequestAuthentication accepts issuer ${issuer}`,
            )
        }
      }
      for (const { operation = {} } of rule.to ?? [])
        for (const port of operation.ports ?? [])
          if (selector && !targets.some((w) => w.ports.some((p) => String(p.containerPort) === port)))
            problem(policy, `port ${port} is served by none of the workloads it selects`)
    }
  }
}

/** RequestAuthentications: selectors select workloads, each JWKS is fetched from a Service's port. */
export function checkRequestAuthentications(set: CheckedSet): void {
  const { objects, problem } = set
  for (const authentication of objects.filter((o) => o.kind === 'RequestAuthentication')) {
    const { selector, jwtRules = [] } = authenticationSpec(authentication)
    if (selector && !selectedBy(set, authentication, selector.matchLabels).length)
      problem(authentication, `its selector ${JSON.stringify(selector.matchLabels)} selects no workload`)
    for (const rule of jwtRules) {
      if (!rule.jwksUri) continue
      const url = new URL(rule.jwksUri)
      const service = resolveService(objects, url.hostname, namespaceOf(authentication))
      const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80))
      if (!service) problem(authentication, `jwksUri host ${url.hostname} is not a Service in the set`)
      else if (!servicePorts(service).some((p) => p.port === port))
        problem(authentication, `jwksUri port ${port} is not a port of ${url.hostname}`)
    }
  }
}

/** A request as the authorization policies see it. */
export interface Request {
  /** The caller's SPIFFE principal, `cluster.local/ns/<ns>/sa/<sa>`. */
  from: string
  /** The workload called, by its pod labels, and the container port. */
  to: { namespace: string; labels: Labels }
  port: number
  method?: string
  path?: string
  /** `<iss>/<sub>` of a token the sidecar verified, if any. */
  requestPrincipal?: string
}

function pathMatches(pattern: string, path: string): boolean {
  if (pattern === '*') return true
  if (pattern.endsWith('*')) return path.startsWith(pattern.slice(0, -1))
  if (pattern.startsWith('*')) return path.endsWith(pattern.slice(1))
  return path === pattern
}

const principalMatches = (pattern: string, value: string | undefined) =>
  value !== undefined &&
  (pattern === '*' || (pattern.endsWith('*') ? value.startsWith(pattern.slice(0, -1)) : value === pattern))

function ruleMatches(rule: PolicyRule, request: Request): boolean {
  const fromOk =
    !rule.from ||
    rule.from.some(({ source = {} }) => {
      if (source.principals && !source.principals.some((p) => principalMatches(p, request.from))) return false
      if (source.notPrincipals?.some((p) => principalMatches(p, request.from))) return false
      if (
        source.requestPrincipals &&
        !source.requestPrincipals.some((p) => principalMatches(p, request.requestPrincipal))
      )
        return false
      return true
    })
  const toOk =
    !rule.to ||
    rule.to.some(({ operation = {} }) => {
      if (operation.ports && !operation.ports.includes(String(request.port))) return false
      if (operation.methods && !operation.methods.includes(request.method ?? 'GET')) return false
      if (operation.paths && !operation.paths.some((p) => pathMatches(p, request.path ?? '/'))) return false
      if (operation.notPaths?.some((p) => pathMatches(p, request.path ?? '/'))) return false
      return true
    })
  return fromOk && toOk
}

/**
 * Whether Istio lets a request through, evaluating the AuthorizationPolicies of the set the way the
 * sidecar does: any matching DENY refuses; with no ALLOW policy for the workload everything passes;
 * otherwise some rule of an ALLOW policy must match. (CUSTOM and AUDIT are not used here.)
 */
export function isAllowed(objects: K8sObject[], request: Request): boolean {
  const policies = objects
    .filter((o) => o.kind === 'AuthorizationPolicy')
    .filter((o) => namespaceOf(o) === request.to.namespace || namespaceOf(o) === ROOT_NAMESPACE)
    .map(policySpec)
    .filter((policy) => selects(policy.selector?.matchLabels, request.to.labels))
  const matches = (policy: PolicySpec) => (policy.rules ?? []).some((rule) => ruleMatches(rule, request))
  if (policies.some((p) => p.action === 'DENY' && matches(p))) return false
  const allows = policies.filter((p) => (p.action ?? 'ALLOW') === 'ALLOW')
  if (!allows.length) return true
  return allows.some(matches)
}
