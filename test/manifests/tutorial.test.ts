// The tutorial's own Istio YAML (test/manifests/fixtures/tutorial, as printed in the tutorial) applies
// unchanged to this shop and routes: same names, hosts that are our Services, ports they serve,
// subsets that select our pods.
import { describe, expect, it } from 'vitest'
import { buildWith } from './lib/kustomize.js'
import { analyze } from './lib/mesh.js'
import { keyOf, loadObjects, selects, spec, yamlFiles, type K8sObject } from './lib/objects.js'
import { endpointsOf, workloads } from './lib/workloads.js'

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

  describe('v2 Deployments written the way the tutorial writes them (fixtures/tutorial-v2)', () => {
    // Labels `app` and `version`, a container port without a name: what `kubectl apply -f` of the
    // tutorial's v2 manifests puts next to our base, instead of our own v2 components.
    const tutorialV2 = loadObjects(yamlFiles('test/manifests/fixtures/tutorial-v2'))
    const base = buildWith([])
    const service = (objects: K8sObject[], name: string) =>
      objects.find((o) => o.kind === 'Service' && o.metadata.name === name)!

    it('are the two v2 versions, each with one unnamed container port', () => {
      expect(tutorialV2.map((o) => o.metadata.name)).toEqual(['order-management-v2', 'product-catalog-v2'])
      for (const { ports } of workloads(tutorialV2).filter((w) => w.object))
        expect(ports.map((p) => p.name)).toEqual([undefined])
    })

    it.each([
      ['product-catalog', 3001],
      ['order-management', 9090],
    ] as const)('get endpoints from our %s Service, on port %i, next to v1', (name, port) => {
      const objects = [...base, ...tutorialV2]
      expect(endpointsOf(objects, service(objects, name))).toEqual([
        { workload: `${name}-v1`, port },
        { workload: `${name}-v2`, port },
      ])
    })

    it('would get none from a Service that targets the port by name (what the test guards against)', () => {
      const objects = [...base, ...tutorialV2]
      const byName = structuredClone(service(objects, 'product-catalog'))
      spec<{ ports: { targetPort: string | number }[] }>(byName).ports[0]!.targetPort = 'http'
      expect(endpointsOf(objects, byName).map((e) => e.workload)).toEqual(['product-catalog-v1'])
      expect(analyze([...objects.filter((o) => o !== service(objects, 'product-catalog')), byName])).toEqual([
        expect.stringMatching(/targets the port named http, which product-catalog-v2 does not declare/),
      ])
    })

    it("with the tutorial's own canary and circuit breaker, everything resolves", () => {
      expect(
        analyze([
          ...base,
          ...tutorialV2,
          ...fixture('ingress'),
          ...fixture('canary'),
          ...fixture('circuit-breaker'),
        ]),
      ).toEqual([])
    })
  })

  it('uses the names of our own istio/ manifests, so applying ours after the tutorial replaces them', () => {
    const ours = new Set(
      loadObjects(yamlFiles('istio').filter((f) => !f.startsWith('istio/install/'))).map(keyOf),
    )
    for (const object of fixtures.flatMap(applied)) expect(ours, keyOf(object)).toContain(keyOf(object))
  })
})
