// The mesh lab's components (docs/mesh/11-mesh-lab.md) build on the base and the components they
// extend, validate, and carry fault rules the services accept.
import { describe, expect, it } from 'vitest'
import { parseFaultRules } from '@shop/service-kit'
import { kustomize } from './lib/kustomize.js'
import { analyze } from './lib/mesh.js'
import { repoRoot, type K8sObject } from './lib/objects.js'
import { validateObject } from './lib/validate.js'
import { podSpecs } from './lib/workloads.js'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'

const LAB = ['product-inventory-slow', 'order-management-v2-flaky', 'fault-admin', 'loadgen-stats-page']

function build(components: string[]): K8sObject[] {
  const dir = mkdtempSync(join(tmpdir(), 'shop-lab-'))
  try {
    writeFileSync(
      join(dir, 'kustomization.yaml'),
      JSON.stringify({
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        resources: [relative(dir, `${repoRoot}k8s/base`)],
        components: components.map((name) => relative(dir, `${repoRoot}k8s/components/${name}`)),
      }),
    )
    return kustomize(dir)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const envOf = (objects: K8sObject[], deployment: string) =>
  Object.fromEntries(
    (
      podSpecs(objects.filter((o) => o.kind === 'Deployment' && o.metadata.name === deployment))[0]!.pod
        .containers[0]!.env ?? []
    ).map((e) => [e.name, e]),
  )

describe('the mesh lab components', () => {
  const objects = build(['product-catalog-v2', 'order-management-v2', 'loadgen', ...LAB])

  it('build with the components they extend, validate and hang together', () => {
    for (const object of objects) validateObject(object)
    expect(analyze(objects)).toEqual([])
  })

  it('carry FAULTS the services accept', () => {
    expect(parseFaultRules(envOf(objects, 'product-inventory-v1').FAULTS!.value)).toEqual([
      { route: '/api/inventory*', latencyMs: 1500, jitterMs: 500, latencyPercent: 30 },
    ])
    const flaky = envOf(objects, 'order-management-v2')
    expect(parseFaultRules(flaky.FAULTS!.value)).toEqual([
      { route: '/api/*', errorStatus: 500, errorPercent: 30 },
    ])
    expect(flaky.MONGODB_URI?.valueFrom).toBeDefined()
  })

  it('give every Deployment an optional admin token, and deny /admin/* through the sidecars', () => {
    for (const deployment of objects.filter((o) => o.kind === 'Deployment'))
      expect(
        envOf(objects, deployment.metadata.name).FAULT_ADMIN_TOKEN?.valueFrom,
        deployment.metadata.name,
      ).toEqual({
        secretKeyRef: { name: 'fault-admin', key: 'token', optional: true },
      })
    const deny = objects.find(
      (o) => o.kind === 'AuthorizationPolicy' && o.metadata.name === 'deny-admin-paths',
    )!
    expect(deny).toMatchObject({
      spec: { action: 'DENY', rules: [{ to: [{ operation: { paths: ['/admin/*', '/admin'] } }] }] },
    })
    expect((deny as { spec: { selector?: unknown } }).spec.selector).toBeUndefined()
  })

  it('point the BFF at the load generator’s stats through a Service', () => {
    expect(envOf(objects, 'ecommerce-ui-v1').LOADGEN_URL).toEqual({
      name: 'LOADGEN_URL',
      value: 'http://loadgen:8089',
    })
    expect(objects.find((o) => o.kind === 'Service' && o.metadata.name === 'loadgen')).toMatchObject({
      spec: { selector: { app: 'loadgen' }, ports: [{ port: 8089 }] },
    })
  })
})
