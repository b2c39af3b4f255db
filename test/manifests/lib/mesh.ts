// Cross-reference checks in the spirit of `istioctl analyze`, run offline over a set of objects that
// are applied together: every name a manifest refers to must exist, and select what it means to. Each
// concern has its module; this one runs them all, in a fixed order.
import { keyOf, nameOf, type K8sObject } from './objects.js'
import { checkGateways, checkHTTPRoutes, checkVirtualServices } from './routing.js'
import { checkAuthorizationPolicies, checkRequestAuthentications } from './security.js'
import { checkTelemetry } from './telemetry.js'
import { checkDestinationRules } from './traffic-policy.js'
import { checkServices, checkWorkloads, workloads, type CheckedSet } from './workloads.js'

/** No object is defined twice: one would silently replace the other. */
function checkUnique({ objects, problem }: CheckedSet): void {
  const known = new Set<string>()
  for (const object of objects) {
    const key = keyOf(object)
    if (known.has(key)) problem(object, 'defined twice in the same set: one would silently replace the other')
    known.add(key)
  }
}

/** The problems found in a set of objects applied together; none means everything resolves. */
export function analyze(objects: K8sObject[], options: { tracingProviders?: string[] } = {}): string[] {
  const problems: string[] = []
  const set: CheckedSet = {
    objects,
    workloads: workloads(objects),
    problem: (object, text) => problems.push(`${nameOf(object)}: ${text}`),
  }
  checkUnique(set)
  checkWorkloads(set)
  checkServices(set)
  checkGateways(set)
  checkDestinationRules(set)
  checkVirtualServices(set)
  checkAuthorizationPolicies(set)
  checkRequestAuthentications(set)
  checkTelemetry(set, options.tracingProviders)
  checkHTTPRoutes(set)
  return problems
}
