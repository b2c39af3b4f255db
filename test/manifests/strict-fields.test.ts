// No manifest carries a field its kind does not have: the schemas of kubernetes-models let unknown
// fields through, so a misspelt field would be ignored by the validation and, in the cluster,
// dropped or refused. The packages' TypeScript interfaces catch them (see lib/strict-fields.ts).
import { describe, expect, it } from 'vitest'
import { buildWith, COMPONENTS } from './lib/kustomize.js'
import { loadObjects, yamlFiles, type K8sObject } from './lib/objects.js'
import { hasTypes, unknownFields } from './lib/strict-fields.js'

const objects = [
  ...buildWith(COMPONENTS),
  ...loadObjects(
    yamlFiles('istio', 'test/manifests/fixtures').filter((f) => !f.startsWith('istio/install/')),
  ),
]

describe('fields', () => {
  it('every kind has types to check against', () => {
    const untyped = objects.filter((o) => !hasTypes(o)).map((o) => `${o.apiVersion} ${o.kind}`)
    expect([...new Set(untyped)]).toEqual([])
  })

  it('no object of the full build, istio/ or the fixtures has a field its kind does not declare', () => {
    expect(unknownFields(objects)).toEqual([])
  })

  it('a misspelt field or a value of the wrong type is caught', () => {
    const rule = structuredClone(objects.find((o) => o.kind === 'DestinationRule')!)
    rule.spec = { ...(rule.spec as object), trafficPolicy: { outlierDetection: { maxEjectionPercnt: 100 } } }
    const deployment = structuredClone(objects.find((o) => o.kind === 'Deployment')!) as K8sObject & {
      spec: { replicas: unknown }
    }
    deployment.spec.replicas = 'one'
    const problems = unknownFields([rule, deployment])
    expect(problems).toHaveLength(2)
    expect(problems[0]).toMatch(/DestinationRule .*maxEjectionPercnt/)
    expect(problems[1]).toMatch(/Deployment .*string/)
  })
})
