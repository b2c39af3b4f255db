// What runs in the set: the pods of Deployments, StatefulSets and Jobs, the gateways Istio runs for us,
// the Services in front of them and the endpoints those get.
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment'
import type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet'
import type { IJob } from 'kubernetes-models/batch/v1/Job'
import type { IContainer } from 'kubernetes-models/v1/Container'
import type { IContainerPort } from 'kubernetes-models/v1/ContainerPort'
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar'
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec'
import type { IService } from 'kubernetes-models/v1/Service'
import { namespaceOf, selects, specOf, type K8sObject, type Labels } from './objects.js'

export type Container = IContainer
export type EnvVar = IEnvVar
export type PodSpec = IPodSpec

/** Something that runs pods: a Deployment, StatefulSet or Job, or a gateway Istio runs for us. */
export interface Workload {
  kind: string
  name: string
  namespace: string
  labels: Labels
  serviceAccount: string
  ports: IContainerPort[]
  object?: K8sObject
}

/** A set of objects applied together, as every check reads it, and where the checks write problems. */
export interface CheckedSet {
  objects: K8sObject[]
  workloads: Workload[]
  problem(object: K8sObject, text: string): void
}

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

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'Job']
const workloadSpec = (object: K8sObject) => specOf<IDeployment | IStatefulSet | IJob>(object)
const isWorkload = (object: K8sObject) => WORKLOAD_KINDS.includes(object.kind)

export function workloads(objects: K8sObject[]): Workload[] {
  const found: Workload[] = [INGRESS_GATEWAY]
  for (const object of objects) {
    if (isWorkload(object)) {
      const { template } = workloadSpec(object)
      found.push({
        kind: object.kind,
        name: object.metadata.name,
        namespace: namespaceOf(object),
        labels: template.metadata?.labels ?? {},
        serviceAccount: template.spec?.serviceAccountName ?? 'default',
        ports: (template.spec?.containers ?? []).flatMap((container) => container.ports ?? []),
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
  return objects.filter(isWorkload).map((object) => {
    const { template } = workloadSpec(object)
    return { object, labels: template.metadata?.labels ?? {}, pod: template.spec ?? { containers: [] } }
  })
}

/** A Service's spec, typed. */
export const serviceSpec = (service: K8sObject) => specOf<IService>(service)
export const servicePorts = (service: K8sObject) => serviceSpec(service).ports ?? []

/** The Service a host names, from a resource in `namespace`: `name`, `name.ns`, `name.ns.svc.cluster.local`. */
export function resolveService(objects: K8sObject[], host: string, namespace: string): K8sObject | undefined {
  const match = /^([a-z0-9-]+)(?:\.([a-z0-9-]+)(?:\.svc(?:\.cluster\.local)?)?)?$/.exec(host)
  if (!match) return undefined
  const [, name, ns = namespace] = match
  return objects.find((o) => o.kind === 'Service' && o.metadata.name === name && namespaceOf(o) === ns)
}

/** The workloads whose pods a Service selects (same namespace, every selector label). */
export function selectedPods(all: Workload[], service: K8sObject): Workload[] {
  const { selector } = serviceSpec(service)
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
  return selectedPods(workloads(objects), service).flatMap((w) =>
    servicePorts(service).flatMap((p) => {
      const port = endpointPort(w, p.targetPort ?? p.port)
      return port === undefined ? [] : [{ workload: w.name, port }]
    }),
  )
}

/** Workloads: their selectors select their pods, their ServiceAccounts exist. */
export function checkWorkloads({ objects, workloads: all, problem }: CheckedSet): void {
  const serviceAccounts = new Set(
    objects.filter((o) => o.kind === 'ServiceAccount').map((o) => `${namespaceOf(o)}/${o.metadata.name}`),
  )
  for (const workload of all.filter((w) => w.object)) {
    const object = workload.object!
    const { selector } = workloadSpec(object)
    if (object.kind !== 'Job' && !selects(selector?.matchLabels, workload.labels))
      problem(object, 'its selector does not select its own pod template')
    if (
      workload.serviceAccount !== 'default' &&
      !serviceAccounts.has(`${workload.namespace}/${workload.serviceAccount}`)
    )
      problem(object, `ServiceAccount ${workload.serviceAccount} does not exist`)
  }
}

/** Services select pods, every selected pod gets an endpoint on every port, and the ports are served. */
export function checkServices({ objects, workloads: all, problem }: CheckedSet): void {
  for (const service of objects.filter((o) => o.kind === 'Service')) {
    const { selector } = serviceSpec(service)
    if (!selector) continue
    const pods = selectedPods(all, service)
    if (!pods.length) problem(service, `its selector ${JSON.stringify(selector)} matches no pod template`)
    for (const port of servicePorts(service)) {
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
}
