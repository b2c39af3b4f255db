// The tutorial's own Istio YAML (test/manifests/fixtures/tutorial, as printed in the tutorial) applies
// unchanged to this shop and routes: same names, hosts that are our Services, ports they serve,
// subsets that select our pods.
import { describe, expect, it } from 'vitest'
import { buildWith } from './lib/kustomize.js'
import { analyze, spec, workloads } from './lib/mesh.js'
import { keyOf, loadObjects, selects, yamlFiles, type K8sObject } from './lib/objects.js'

const fixtures = yamlFiles('test/manifests/fixtures/tutorial')
/** `kubectl apply -n ecommerce -f`: the tutorial's canary YAML names no namespace. */
const applied = (file: string) =>
  loadObjects([file]).map((o) => ({ ...o, metadata: { namespace: 'ecommerce', ...o.metadata } }) as K8sObject)
const fixture = (name: string) => applied(`test/manifests/fixtures/tutorial/${name}.yaml`)

describe("the tutorial's manifests on this shop", () => {
  const withVersions = buildWith(['product-catalog-v2', 'order-management-v2'])

  it('are the three printed in the tutorial', () => {
    expect(fixtures.map((f) => f.replace(/^.*\//, ''))).toEqual([
      'canary.yaml',
      'circuit-breaker.yaml',
      'ingress.yaml',
    ])
  })

  it.each(['ingress', 'canary', 'circuit-breaker'])(
    '%s resolves against the base and the v2 components',
    (name) => {
      expect(analyze([...withVersions, ...fixture(name)])).toEqual([])
    },
  )

  it('all of them together', () => {
    expect(analyze([...withVersions, ...fixtures.flatMap(applied)])).toEqual([])
  })

  it('chapter 2 routes the ingress gateway to the BFF on its port', () => {
    const [gateway, routes] = fixture('ingress')
    const ingress = workloads([]).find((w) => w.namespace === 'istio-system')!
    expect(selects(spec<{ selector: Record<string, string> }>(gateway!).selector, ingress.labels)).toBe(true)
    const service = withVersions.find((o) => o.kind === 'Service' && o.metadata.name === 'ecommerce-ui')!
    const destination = spec<{
      http: { route: { destination: { host: string; port: { number: number } } }[] }[]
    }>(routes!).http[0]!.route[0]!.destination
    expect(spec<{ ports: { port: number }[] }>(service).ports.map((p) => p.port)).toContain(
      destination.port.number,
    )
  })

  it.each(['canary', 'circuit-breaker'])(
    '%s: each subset selects exactly the pods of its version',
    (name) => {
      const [rule] = fixture(name)
      const { host, subsets } = spec<{
        host: string
        subsets: { name: string; labels: Record<string, string> }[]
      }>(rule!)
      for (const subset of subsets) {
        const pods = workloads(withVersions).filter(
          (w) => w.labels.app === host && selects(subset.labels, w.labels),
        )
        expect(pods.map((w) => w.name)).toEqual([`${host}-${subset.name}`])
      }
    },
  )

  it('uses the names of our own istio/ manifests, so applying ours after the tutorial replaces them', () => {
    const ours = new Set(
      loadObjects(yamlFiles('istio').filter((f) => !f.startsWith('istio/install/'))).map(keyOf),
    )
    for (const object of fixtures.flatMap(applied)) expect(ours, keyOf(object)).toContain(keyOf(object))
  })
})
