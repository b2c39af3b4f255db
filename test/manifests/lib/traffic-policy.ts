// Traffic policy: the DestinationRules that name a Service's subsets (its versions) and how to call it.
import type { IDestinationRule } from '@kubernetes-models/istio/networking.istio.io/v1/DestinationRule'
import { namespaceOf, selects, specOf, type K8sObject } from './objects.js'
import { resolveService, serviceSpec, type CheckedSet } from './workloads.js'

const ruleSpec = (rule: K8sObject) => specOf<IDestinationRule>(rule)
const destinationRules = (objects: K8sObject[]) => objects.filter((o) => o.kind === 'DestinationRule')

/** Whether some DestinationRule of the set defines `subset` for `service`. */
export function definesSubset(objects: K8sObject[], service: K8sObject, subset: string): boolean {
  return destinationRules(objects).some(
    (rule) =>
      resolveService(objects, ruleSpec(rule).host, namespaceOf(rule)) === service &&
      (ruleSpec(rule).subsets ?? []).some((s) => s.name === subset),
  )
}

/** DestinationRules: host is a Service, each subset selects some of its pods. */
export function checkDestinationRules({ objects, workloads: all, problem }: CheckedSet): void {
  for (const rule of destinationRules(objects)) {
    const { host, subsets = [] } = ruleSpec(rule)
    const service = resolveService(objects, host, namespaceOf(rule))
    if (!service) {
      problem(rule, `host ${host} is not a Service in the set`)
      continue
    }
    const serviceSelector = serviceSpec(service).selector
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
}
