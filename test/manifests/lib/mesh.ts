// Cross-reference checks in the spirit of `istioctl analyze`, run offline over a set of objects that
// are applied together: every name a manifest refers to must exist, and select what it means to.
import { keyOf, nameOf, selects, type K8sObject, type Labels } from './objects.js'
import type { HTTPRouteSpec } from './validate.js'

// --- The shapes read here (only the fields the checks use) -----------------------------------------

export interface EnvVar {
  name: string
  value?: string
  valueFrom?: { secretKeyRef?: { name: string; key: string }; fieldRef?: { fieldPath: string } }
}

export interface Probe {
  httpGet?: { path: string; port: string | number }
  tcpSocket?: { port: string | number }
}

export interface Container {
  name: string
  image: string
  imagePullPolicy?: string
  command?: string[]
  ports?: { name?: string; containerPort: number }[]
  env?: EnvVar[]
  startupProbe?: Probe
  readinessProbe?: Probe
  livenessProbe?: Probe
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> }
  securityContext?: {
    allowPrivilegeEscalation?: boolean
    readOnlyRootFilesystem?: boolean
    capabilities?: { drop?: string[] }
  }
  volumeMounts?: { name: string; mountPath: string }[]
}

export interface PodSpec {
  serviceAccountName?: string
  terminationGracePeriodSeconds?: number
  securityContext?: {
    runAsNonRoot?: boolean
    runAsUser?: number
    seccompProfile?: { type: string }
  }
  containers: Container[]
  volumes?: { name: string; emptyDir?: object; configMap?: { name: string }; secret?: object }[]
}

interface WorkloadSpec {
  replicas?: number
  selector?: { matchLabels?: Labels }
  template: { metadata?: { labels?: Labels; annotations?: Record<string, string> }; spec: PodSpec }
}

/** Something that runs pods: a Deployment, StatefulSet or Job, or a gateway Istio runs for us. */
export interface Workload {
  kind: string
  name: string
  namespace: string
  labels: Labels
  serviceAccount: string
  ports: { name?: string; containerPort: number }[]
  object?: K8sObject
}

interface ServiceSpec {
  selector?: Labels
  clusterIP?: string
  ports: { name?: string; port: number; targetPort?: string | number }[]
}

interface Destination {
  host: string
  subset?: string
  port?: { number?: number }
}

interface RouteDestination {
  destination: Destination
  weight?: number
}

interface VirtualServiceSpec {
  hosts?: string[]
  gateways?: string[]
  http?: { name?: string; route?: RouteDestination[] }[]
  tcp?: { route?: RouteDestination[] }[]
  tls?: { route?: RouteDestination[] }[]
}

interface DestinationRuleSpec {
  host: string
  subsets?: { name: string; labels?: Labels }[]
}

interface AuthorizationPolicySpec {
  selector?: { matchLabels?: Labels }
  action?: 'ALLOW' | 'DENY' | 'AUDIT' | 'CUSTOM'
  rules?: {
    from?: { source: { principals?: string[]; notPrincipals?: string[]; requestPrincipals?: string[] } }[]
    to?: { operation: { ports?: string[]; methods?: string[]; paths?: string[]; notPaths?: string[] } }[]
  }[]
}

interface RequestAuthenticationSpec {
  selector?: { matchLabels?: Labels }
  jwtRules: { issuer: string; jwksUri?: string; audiences?: string[] }[]
}

interface TelemetrySpec {
  tracing?: { providers?: { name: string }[] }[]
  accessLogging?: { providers?: { name: string }[] }[]
  metrics?: { providers?: { name: string }[] }[]
}

export const spec = <T>(object: K8sObject) => (object.spec ?? {}) as T
const namespaceOf = (object: K8sObject) => object.metadata.namespace ?? 'default'

export const ROOT_NAMESPACE = 'istio-system'

/**
 * The ingress gateway `helm install istio-ingress istio/gateway -n istio-system` runs: its pods carry
 * `app: istio-ingress` and `istio: ingress` (the release name, less `istio-`), its ServiceAccount is
 * the release name.
 */
export const INGRESS_GATEWAY: Workload = {
  kind: 'Deployment',
  name: 'istio-ingress',
  namespace: ROOT_NAMESPACE,
  labels: { app: 'istio-ingress', istio: 'ingress' },
  serviceAccount: 'istio-ingress',
  ports: [{ containerPort: 80 }],
}

/** Tracing and access-log providers Istio knows without configuration. */
export const BUILT_IN_PROVIDERS = ['envoy', 'prometheus']

export function workloads(objects: K8sObject[]): Workload[] {
  const found: Workload[] = [INGRESS_GATEWAY]
  for (const object of objects) {
    if (['Deployment', 'StatefulSet', 'Job'].includes(object.kind)) {
      const { template } = spec<WorkloadSpec>(object)
      found.push({
        kind: object.kind,
        name: object.metadata.name,
        namespace: namespaceOf(object),
        labels: template.metadata?.labels ?? {},
        serviceAccount: template.spec.serviceAccountName ?? 'default',
        ports: template.spec.containers.flatMap((container) => container.ports ?? []),
        object,
      })
    }
    // A Gateway API Gateway of class `istio`: istiod deploys `<name>-istio` (pods, Service and
    // ServiceAccount of that name) in the Gateway's namespace.
    if (object.kind === 'Gateway' && object.apiVersion.startsWith('gateway.networking.k8s.io/')) {
      const deployed = `${object.metadata.name}-istio`
      found.push({
        kind: 'Deployment',
        name: deployed,
        namespace: namespaceOf(object),
        labels: { 'gateway.networking.k8s.io/gateway-name': object.metadata.name },
        serviceAccount: deployed,
        ports: [],
      })
    }
  }
  return found
}

export function podSpecs(objects: K8sObject[]): { object: K8sObject; labels: Labels; pod: PodSpec }[] {
  return objects
    .filter((object) => ['Deployment', 'StatefulSet', 'Job'].includes(object.kind))
    .map((object) => {
      const { template } = spec<WorkloadSpec>(object)
      return { object, labels: template.metadata?.labels ?? {}, pod: template.spec }
    })
}

/** The Service a host names, from a resource in `namespace`: `name`, `name.ns`, `name.ns.svc.cluster.local`. */
function resolveService(objects: K8sObject[], host: string, namespace: string): K8sObject | undefined {
  const match = /^([a-z0-9-]+)(?:\.([a-z0-9-]+)(?:\.svc(?:\.cluster\.local)?)?)?$/.exec(host)
  if (!match) return undefined
  const [, name, ns = namespace] = match
  return objects.find((o) => o.kind === 'Service' && o.metadata.name === name && namespaceOf(o) === ns)
}

const principalOf = (workload: Workload) =>
  `cluster.local/ns/${workload.namespace}/sa/${workload.serviceAccount}`

/** The workloads whose pods a Service selects (same namespace, every selector label). */
export function selectedPods(all: Workload[], service: K8sObject): Workload[] {
  const { selector } = spec<ServiceSpec>(service)
  if (!selector) return []
  return all.filter((w) => w.object && w.namespace === namespaceOf(service) && selects(selector, w.labels))
}

/**
 * The container port a Service's targetPort resolves to on a workload's pods, as Kubernetes' endpoint
 * controller resolves it: a number is used as it is, on any selected pod; a name only where a
 * container port carries that name, and a pod without one gets no endpoint (undefined).
 */
export function endpointPort(workload: Workload, target: string | number): number | undefined {
  if (typeof target === 'number') return target
  return workload.ports.find((p) => p.name === target)?.containerPort
}

/** The endpoints a Service gets from a set of objects: each selected workload with the port it receives. */
export function endpointsOf(objects: K8sObject[], service: K8sObject): { workload: string; port: number }[] {
  const { ports } = spec<ServiceSpec>(service)
  return selectedPods(workloads(objects), service).flatMap((w) =>
    ports.flatMap((p) => {
      const port = endpointPort(w, p.targetPort ?? p.port)
      return port === undefined ? [] : [{ workload: w.name, port }]
    }),
  )
}

/** The problems found in a set of objects applied together; none means everything resolves. */
export function analyze(objects: K8sObject[], options: { tracingProviders?: string[] } = {}): string[] {
  const problems: string[] = []
  const problem = (object: K8sObject, text: string) => problems.push(`${nameOf(object)}: ${text}`)
  const all = workloads(objects)
  const known = new Set<string>()
  const serviceAccounts = new Set(
    objects.filter((o) => o.kind === 'ServiceAccount').map((o) => `${namespaceOf(o)}/${o.metadata.name}`),
  )
  const principals = new Set([
    ...all.filter((w) => !w.object).map(principalOf),
    ...[...serviceAccounts].map((sa) => {
      const [ns, name] = sa.split('/')
      return `cluster.local/ns/${ns}/sa/${name}`
    }),
  ])
  const issuers = new Set(
    objects
      .filter((o) => o.kind === 'RequestAuthentication')
      .flatMap((o) => spec<RequestAuthenticationSpec>(o).jwtRules.map((rule) => rule.issuer)),
  )
  const inNamespace = (namespace: string) => (w: Workload) =>
    namespace === ROOT_NAMESPACE || w.namespace === namespace
  const selected = (object: K8sObject, selector: Labels | undefined) =>
    all.filter(inNamespace(namespaceOf(object))).filter((w) => selects(selector, w.labels))

  for (const object of objects) {
    const key = keyOf(object)
    if (known.has(key)) problem(object, 'defined twice in the same set: one would silently replace the other')
    known.add(key)
  }

  // Workloads: selectors, ServiceAccounts.
  for (const workload of all.filter((w) => w.object)) {
    const object = workload.object!
    const { selector } = spec<WorkloadSpec>(object)
    if (object.kind !== 'Job' && !selects(selector?.matchLabels, workload.labels))
      problem(object, 'its selector does not select its own pod template')
    if (
      workload.serviceAccount !== 'default' &&
      !serviceAccounts.has(`${workload.namespace}/${workload.serviceAccount}`)
    )
      problem(object, `ServiceAccount ${workload.serviceAccount} does not exist`)
  }

  // Services select pods, every selected pod gets an endpoint on every port, and the ports are served.
  for (const service of objects.filter((o) => o.kind === 'Service')) {
    const { selector, ports } = spec<ServiceSpec>(service)
    if (!selector) continue
    const pods = selectedPods(all, service)
    if (!pods.length) problem(service, `its selector ${JSON.stringify(selector)} matches no pod template`)
    for (const port of ports) {
      const target = port.targetPort ?? port.port
      for (const pod of pods.filter((w) => endpointPort(w, target) === undefined))
        problem(
          service,
          `port ${port.port} targets the port named ${target}, which ${pod.name} does not declare: its pods get no endpoint`,
        )
      if (typeof target === 'number' && pods.length && !pods.some((w) => endpointPort(w, target) === target))
        problem(service, `port ${port.port} targets ${target}, which no selected pod declares`)
    }
  }

  // Istio Gateways select a gateway's pods.
  for (const gateway of objects.filter(
    (o) => o.kind === 'Gateway' && o.apiVersion.startsWith('networking.istio.io/'),
  )) {
    const selector = spec<{ selector?: Labels }>(gateway).selector
    if (
      !all.some(
        (w) => selects(selector, w.labels) && (w === INGRESS_GATEWAY || w.namespace === namespaceOf(gateway)),
      )
    )
      problem(gateway, `its selector ${JSON.stringify(selector)} matches no gateway workload`)
  }

  // DestinationRules: host is a Service, each subset selects some of its pods.
  const destinationRules = objects.filter((o) => o.kind === 'DestinationRule')
  for (const rule of destinationRules) {
    const { host, subsets = [] } = spec<DestinationRuleSpec>(rule)
    const service = resolveService(objects, host, namespaceOf(rule))
    if (!service) {
      problem(rule, `host ${host} is not a Service in the set`)
      continue
    }
    const serviceSelector = spec<ServiceSpec>(service).selector
    for (const subset of subsets) {
      const pods = all.filter(
        (w) =>
          w.object &&
          w.namespace === namespaceOf(service) &&
          selects(serviceSelector, w.labels) &&
          selects(subset.labels, w.labels),
      )
      if (!pods.length)
        problem(rule, `subset ${subset.name} (${JSON.stringify(subset.labels)}) selects no pod of ${host}`)
    }
  }

  // VirtualServices: hosts, gateways, and every destination's host, port and subset.
  const meshHosts = new Map<string, K8sObject>()
  for (const vs of objects.filter((o) => o.kind === 'VirtualService')) {
    const { hosts = [], gateways = ['mesh'], http = [], tcp = [], tls = [] } = spec<VirtualServiceSpec>(vs)
    for (const gateway of gateways.filter((g) => g !== 'mesh')) {
      const [ns, name] = gateway.includes('/') ? gateway.split('/') : [namespaceOf(vs), gateway]
      if (
        !objects.some(
          (o) =>
            o.kind === 'Gateway' &&
            o.apiVersion.startsWith('networking.istio.io/') &&
            o.metadata.name === name &&
            namespaceOf(o) === ns,
        )
      )
        problem(vs, `gateway ${gateway} does not exist`)
    }
    if (gateways.includes('mesh'))
      for (const host of hosts) {
        const service = resolveService(objects, host, namespaceOf(vs))
        if (!service) {
          problem(vs, `host ${host} is not a Service in the set`)
          continue
        }
        const claimed = keyOf(service)
        const other = meshHosts.get(claimed)
        if (other)
          problem(vs, `claims ${host} for the mesh, as ${nameOf(other)} does (IST0109: only one is used)`)
        meshHosts.set(claimed, vs)
      }
    const routes = [...http, ...tcp, ...tls].map((r) => r.route ?? [])
    for (const route of routes) {
      const weights = route.map((r) => r.weight)
      if (route.length > 1 && weights.reduce<number>((sum, w) => sum + (w ?? 0), 0) !== 100)
        problem(vs, `the weights of a route add up to ${weights.join('+')}, not 100`)
      for (const { destination } of route) {
        const service = resolveService(objects, destination.host, namespaceOf(vs))
        if (!service) {
          problem(vs, `destination host ${destination.host} is not a Service in the set`)
          continue
        }
        const ports = spec<ServiceSpec>(service).ports.map((p) => p.port)
        if (destination.port?.number !== undefined && !ports.includes(destination.port.number))
          problem(
            vs,
            `destination ${destination.host} has no port ${destination.port.number} (it has ${ports.join(', ')})`,
          )
        if (destination.port?.number === undefined && ports.length > 1)
          problem(vs, `destination ${destination.host} has several ports: the route must name one`)
        if (destination.subset) {
          const defined = destinationRules.some(
            (rule) =>
              resolveService(objects, spec<DestinationRuleSpec>(rule).host, namespaceOf(rule)) === service &&
              (spec<DestinationRuleSpec>(rule).subsets ?? []).some((s) => s.name === destination.subset),
          )
          if (!defined)
            problem(
              vs,
              `subset ${destination.subset} of ${destination.host} is defined by no DestinationRule in the set`,
            )
        }
      }
    }
  }

  // Security: selectors select workloads, principals exist, ports are served, issuers are known.
  for (const policy of objects.filter((o) => o.kind === 'AuthorizationPolicy')) {
    const { selector, rules = [] } = spec<AuthorizationPolicySpec>(policy)
    const targets = selected(policy, selector?.matchLabels)
    if (selector && !targets.length)
      problem(policy, `its selector ${JSON.stringify(selector.matchLabels)} selects no workload`)
    for (const rule of rules) {
      for (const { source } of rule.from ?? []) {
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
      for (const { operation } of rule.to ?? [])
        for (const port of operation.ports ?? [])
          if (selector && !targets.some((w) => w.ports.some((p) => String(p.containerPort) === port)))
            problem(policy, `port ${port} is served by none of the workloads it selects`)
    }
  }
  for (const authentication of objects.filter((o) => o.kind === 'RequestAuthentication')) {
    const { selector, jwtRules } = spec<RequestAuthenticationSpec>(authentication)
    if (selector && !selected(authentication, selector.matchLabels).length)
      problem(authentication, `its selector ${JSON.stringify(selector.matchLabels)} selects no workload`)
    for (const rule of jwtRules) {
      if (!rule.jwksUri) continue
      const url = new URL(rule.jwksUri)
      const service = resolveService(objects, url.hostname, namespaceOf(authentication))
      const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80))
      if (!service) problem(authentication, `jwksUri host ${url.hostname} is not a Service in the set`)
      else if (!spec<ServiceSpec>(service).ports.some((p) => p.port === port))
        problem(authentication, `jwksUri port ${port} is not a port of ${url.hostname}`)
    }
  }

  // Telemetry names providers that exist.
  const providers = new Set([...BUILT_IN_PROVIDERS, ...(options.tracingProviders ?? [])])
  for (const telemetry of objects.filter((o) => o.kind === 'Telemetry')) {
    const { tracing = [], accessLogging = [], metrics = [] } = spec<TelemetrySpec>(telemetry)
    for (const entry of [...tracing, ...accessLogging, ...metrics])
      for (const provider of entry.providers ?? [])
        if (!providers.has(provider.name))
          problem(telemetry, `provider ${provider.name} is not configured in istiod`)
  }

  // Gateway API routes: parents and backends exist, with the ports named.
  for (const route of objects.filter((o) => o.kind === 'HTTPRoute')) {
    const { parentRefs = [], rules = [] } = spec<HTTPRouteSpec>(route)
    for (const parent of parentRefs) {
      const ns = parent.namespace ?? namespaceOf(route)
      if ((parent.kind ?? 'Gateway') === 'Service') {
        const service = resolveService(objects, `${parent.name}.${ns}`, ns)
        if (!service) problem(route, `parent Service ${parent.name} does not exist`)
        else if (
          parent.port !== undefined &&
          !spec<ServiceSpec>(service).ports.some((p) => p.port === parent.port)
        )
          problem(route, `parent Service ${parent.name} has no port ${parent.port}`)
      } else if (
        !objects.some(
          (o) =>
            o.kind === 'Gateway' &&
            o.apiVersion.startsWith('gateway.networking.k8s.io/') &&
            o.metadata.name === parent.name &&
            namespaceOf(o) === ns,
        )
      ) {
        problem(route, `parent Gateway ${parent.name} does not exist`)
      }
    }
    for (const backend of rules.flatMap((rule) => rule.backendRefs ?? [])) {
      const service = resolveService(objects, backend.name, namespaceOf(route))
      if (!service) problem(route, `backend ${backend.name} is not a Service in the set`)
      else if (!spec<ServiceSpec>(service).ports.some((p) => p.port === backend.port))
        problem(route, `backend ${backend.name} has no port ${backend.port}`)
    }
  }
  return problems
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

/**
 * Whether Istio lets a request through, evaluating the AuthorizationPolicies of the set the way the
 * sidecar does: any matching DENY refuses; with no ALLOW policy for the workload everything passes;
 * otherwise some rule of an ALLOW policy must match. (CUSTOM and AUDIT are not used here.)
 */
export function isAllowed(objects: K8sObject[], request: Request): boolean {
  const policies = objects
    .filter((o) => o.kind === 'AuthorizationPolicy')
    .filter((o) => namespaceOf(o) === request.to.namespace || namespaceOf(o) === ROOT_NAMESPACE)
    .map((o) => spec<AuthorizationPolicySpec>(o))
    .filter((policy) => selects(policy.selector?.matchLabels, request.to.labels))
  const ruleMatches = (rule: NonNullable<AuthorizationPolicySpec['rules']>[number]) => {
    const fromOk =
      !rule.from ||
      rule.from.some(({ source }) => {
        if (source.principals && !source.principals.some((p) => principalMatches(p, request.from)))
          return false
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
      rule.to.some(({ operation }) => {
        if (operation.ports && !operation.ports.includes(String(request.port))) return false
        if (operation.methods && !operation.methods.includes(request.method ?? 'GET')) return false
        if (operation.paths && !operation.paths.some((p) => pathMatches(p, request.path ?? '/'))) return false
        if (operation.notPaths?.some((p) => pathMatches(p, request.path ?? '/'))) return false
        return true
      })
    return fromOk && toOk
  }
  if (policies.some((p) => p.action === 'DENY' && (p.rules ?? []).some(ruleMatches))) return false
  const allows = policies.filter((p) => (p.action ?? 'ALLOW') === 'ALLOW')
  if (!allows.length) return true
  return allows.some((p) => (p.rules ?? []).some(ruleMatches))
}
