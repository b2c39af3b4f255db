// Routing: the Istio Gateways and VirtualServices, and the Gateway API's HTTPRoutes, reach Services,
// ports and subsets that exist.
import type { IHTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute'
import type { IGateway } from '@kubernetes-models/istio/networking.istio.io/v1/Gateway'
import type { IVirtualService } from '@kubernetes-models/istio/networking.istio.io/v1/VirtualService'
import { keyOf, nameOf, namespaceOf, selects, specOf, type K8sObject } from './objects.js'
import { definesSubset } from './traffic-policy.js'
import { INGRESS_GATEWAY, resolveService, servicePorts, type CheckedSet } from './workloads.js'

const isIstioGateway = (o: K8sObject) =>
  o.kind === 'Gateway' && o.apiVersion.startsWith('networking.istio.io/')
const isGatewayApiGateway = (o: K8sObject) =>
  o.kind === 'Gateway' && o.apiVersion.startsWith('gateway.networking.k8s.io/')

/** Istio Gateways select a gateway's pods. */
export function checkGateways({ objects, workloads: all, problem }: CheckedSet): void {
  for (const gateway of objects.filter(isIstioGateway)) {
    const { selector } = specOf<IGateway>(gateway)
    if (
      !all.some(
        (w) => selects(selector, w.labels) && (w === INGRESS_GATEWAY || w.namespace === namespaceOf(gateway)),
      )
    )
      problem(gateway, `its selector ${JSON.stringify(selector)} matches no gateway workload`)
  }
}

/** VirtualServices: hosts, gateways, and every destination's host, port and subset. */
export function checkVirtualServices({ objects, problem }: CheckedSet): void {
  const meshHosts = new Map<string, K8sObject>()
  for (const vs of objects.filter((o) => o.kind === 'VirtualService')) {
    const { hosts = [], gateways = ['mesh'], http = [], tcp = [], tls = [] } = specOf<IVirtualService>(vs)
    for (const gateway of gateways.filter((g) => g !== 'mesh')) {
      const [ns, name] = gateway.includes('/') ? gateway.split('/') : [namespaceOf(vs), gateway]
      if (!objects.some((o) => isIstioGateway(o) && o.metadata.name === name && namespaceOf(o) === ns))
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
        const ports = servicePorts(service).map((p) => p.port)
        if (destination.port?.number !== undefined && !ports.includes(destination.port.number))
          problem(
            vs,
            `destination ${destination.host} has no port ${destination.port.number} (it has ${ports.join(', ')})`,
          )
        if (destination.port?.number === undefined && ports.length > 1)
          problem(vs, `destination ${destination.host} has several ports: the route must name one`)
        if (destination.subset && !definesSubset(objects, service, destination.subset))
          problem(
            vs,
            `subset ${destination.subset} of ${destination.host} is defined by no DestinationRule in the set`,
          )
      }
    }
  }
}

/** Gateway API routes: parents and backends exist, with the ports named. */
export function checkHTTPRoutes({ objects, problem }: CheckedSet): void {
  for (const route of objects.filter((o) => o.kind === 'HTTPRoute')) {
    const { parentRefs = [], rules = [] } = specOf<IHTTPRoute>(route)
    for (const parent of parentRefs) {
      const ns = parent.namespace ?? namespaceOf(route)
      if ((parent.kind ?? 'Gateway') === 'Service') {
        const service = resolveService(objects, `${parent.name}.${ns}`, ns)
        if (!service) problem(route, `parent Service ${parent.name} does not exist`)
        else if (parent.port !== undefined && !servicePorts(service).some((p) => p.port === parent.port))
          problem(route, `parent Service ${parent.name} has no port ${parent.port}`)
      } else if (
        !objects.some(
          (o) => isGatewayApiGateway(o) && o.metadata.name === parent.name && namespaceOf(o) === ns,
        )
      ) {
        problem(route, `parent Gateway ${parent.name} does not exist`)
      }
    }
    for (const backend of rules.flatMap((rule) => rule.backendRefs ?? [])) {
      const service = resolveService(objects, backend.name, namespaceOf(route))
      if (!service) problem(route, `backend ${backend.name} is not a Service in the set`)
      else if (!servicePorts(service).some((p) => p.port === backend.port))
        problem(route, `backend ${backend.name} has no port ${backend.port}`)
    }
  }
}
