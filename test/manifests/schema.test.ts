// Every YAML file of k8s/, istio/ and the test fixtures parses, and every object in it validates
// against the Kubernetes, Istio and Gateway API schemas (kubernetes-models, @kubernetes-models/istio,
// @kubernetes-models/gateway-api).
import { describe, expect, it } from 'vitest'
import { isK8sObject, readYamlFile, yamlFiles, type K8sObject } from './lib/objects.js'
import { hasSchema, validateObject } from './lib/validate.js'

/** Helm values files: YAML that is not a Kubernetes object, read by `helm install -f`. */
const HELM_VALUES = ['istio/install/istiod-values.yaml', 'istio/install/gateway-values-local.yaml']
const KUSTOMIZE_API = /^kustomize\.config\.k8s\.io\//

const files = yamlFiles('k8s', 'istio', 'test/manifests/fixtures')

describe('YAML manifests', () => {
  it('finds the manifests (k8s/, istio/, the tutorial fixtures)', () => {
    expect(files.filter((f) => f.startsWith('k8s/')).length).toBeGreaterThan(10)
    expect(files.filter((f) => f.startsWith('istio/')).length).toBeGreaterThan(20)
    expect(files.filter((f) => f.startsWith('test/manifests/fixtures/tutorial/')).length).toBeGreaterThan(0)
  })

  it.each(files)('%s parses and every object in it validates', (file) => {
    const documents = readYamlFile(file)
    expect(documents.length).toBeGreaterThan(0)
    if (HELM_VALUES.includes(file)) {
      expect(documents).toHaveLength(1)
      expect(isK8sObject(documents[0]), 'Helm values are not an object to apply').toBe(false)
      return
    }
    for (const document of documents) {
      const { apiVersion = '', kind } = document as Partial<K8sObject>
      if (KUSTOMIZE_API.test(apiVersion)) {
        expect(['Kustomization', 'Component']).toContain(kind)
        continue
      }
      expect(isK8sObject(document), `${file}: every document is a Kubernetes object`).toBe(true)
      const object = document as K8sObject
      expect(hasSchema(object), `${file}: ${object.apiVersion} ${object.kind} has a schema`).toBe(true)
      validateObject(object)
    }
  })

  it('every kustomization is named kustomization.yaml, so `kubectl apply -f <folder>` never meets one in istio/', () => {
    for (const file of files) {
      const kinds = readYamlFile(file).map((d) => (d as Partial<K8sObject>).apiVersion ?? '')
      if (kinds.some((apiVersion) => KUSTOMIZE_API.test(apiVersion))) {
        expect(file).toMatch(/(^|\/)kustomization\.yaml$/)
        expect(file).toMatch(/^k8s\//)
      }
    }
  })
})

describe('the validation itself', () => {
  const object = (apiVersion: string, kind: string, spec: unknown): K8sObject => ({
    apiVersion,
    kind,
    metadata: { name: 'broken', namespace: 'ecommerce' },
    spec,
  })

  it('rejects what Istio would reject', () => {
    expect(() =>
      validateObject(object('networking.istio.io/v1', 'DestinationRule', { subsets: [] })),
    ).toThrow(/host/)
    expect(() =>
      validateObject(
        object('networking.istio.io/v1', 'VirtualService', {
          hosts: ['product-catalog'],
          http: [{ route: [{ destination: { host: 'product-catalog' }, weight: '80' }] }],
        }),
      ),
    ).toThrow(/weight/)
    expect(() =>
      validateObject(object('security.istio.io/v1', 'PeerAuthentication', { mtls: { mode: 'STRICTER' } })),
    ).toThrow(/mode/)
  })

  it('rejects what Kubernetes would reject', () => {
    expect(() =>
      validateObject(
        object('apps/v1', 'Deployment', { template: { spec: { containers: [{ name: 'a', image: 'b' }] } } }),
      ),
    ).toThrow(/selector/)
    expect(() => validateObject(object('v1', 'Service', { ports: [{ port: 'http' }] }))).toThrow(/port/)
  })

  it('checks the Gateway API kinds against their schemas', () => {
    expect(() => validateObject(object('gateway.networking.k8s.io/v1', 'HTTPRoute', { rules: [] }))).toThrow(
      /rules/,
    )
    expect(() =>
      validateObject(
        object('gateway.networking.k8s.io/v1', 'HTTPRoute', {
          parentRefs: [{ name: 'g' }],
          rules: [{ backendRefs: [{ name: 'product-catalog-v1', port: 3001, weight: -1 }] }],
        }),
      ),
    ).toThrow(/weight/)
    expect(() =>
      validateObject(
        object('gateway.networking.k8s.io/v1', 'Gateway', {
          listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }],
        }),
      ),
    ).toThrow(/gatewayClassName/)
  })

  it('refuses kinds it has no schema for rather than passing them', () => {
    expect(() => validateObject(object('example.com/v1', 'Widget', {}))).toThrow(/no schema known/)
  })
})
