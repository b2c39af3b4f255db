// `kubectl kustomize` builds the base, every overlay and every combination of the components; what it
// builds validates, hangs together, and follows the deployment conventions of k8s/README.md.
import { readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { APP_NAMES, APPS } from '@shop/contracts'
import { DEPLOYMENT_NAMES, PORTS } from './lib/apps.js'
import { buildWith, COMPONENTS, componentCombinations, kustomize } from './lib/kustomize.js'
import { analyze } from './lib/mesh.js'
import { keyOf, nameOf, repoRoot, spec, type K8sObject } from './lib/objects.js'
import { validateObject } from './lib/validate.js'
import { podSpecs, type Container, type EnvVar } from './lib/workloads.js'

const overlays = readdirSync(`${repoRoot}k8s/overlays`)
const full = buildWith(COMPONENTS)
const deployments = full.filter((o) => o.kind === 'Deployment')
const container = (object: K8sObject) => podSpecs([object])[0]!.pod.containers[0]!
const env = (c: Container) => Object.fromEntries((c.env ?? []).map((e: EnvVar) => [e.name, e]))

describe('kustomize builds', () => {
  it('finds the overlays', () => {
    expect(overlays).toEqual(
      expect.arrayContaining([
        'shop',
        'canary',
        'circuit-breaking',
        'shop-local',
        'canary-local',
        'circuit-breaking-local',
        'mesh-lab',
        'mesh-lab-local',
        'registry-example',
      ]),
    )
  })

  it.each(overlays)('overlay %s builds, validates and hangs together', (overlay) => {
    const objects = kustomize(`${repoRoot}k8s/overlays/${overlay}`)
    for (const object of objects) validateObject(object)
    expect(analyze(objects)).toEqual([])
  })

  it.each(componentCombinations().map((c) => [c.join(' + ') || 'base alone', c] as const))(
    'base with %s builds, validates and hangs together',
    (_, components) => {
      const objects = buildWith(components)
      for (const object of objects) validateObject(object)
      expect(analyze(objects)).toEqual([])
      expect(objects.every((o) => o.kind === 'Namespace' || o.metadata.namespace === 'ecommerce')).toBe(true)
    },
  )

  it('the base holds the namespace, labelled for sidecar injection, and one Deployment, Service and ServiceAccount per app', () => {
    const base = kustomize(`${repoRoot}k8s/base`)
    const namespace = base.find((o) => o.kind === 'Namespace')!
    expect(namespace.metadata).toMatchObject({ name: 'ecommerce', labels: { 'istio-injection': 'enabled' } })
    for (const app of APP_NAMES) {
      expect(
        base.find((o) => o.kind === 'ServiceAccount' && o.metadata.name === app),
        app,
      ).toBeDefined()
      const service = base.find((o) => o.kind === 'Service' && o.metadata.name === app)!
      expect(spec(service)).toMatchObject({
        selector: { app },
        ports: [{ name: 'http', port: APPS[app].port }],
      })
      expect(Object.keys(spec<{ selector: object }>(service).selector)).toEqual(['app'])
      expect(
        base.find((o) => o.kind === 'Deployment' && o.metadata.name === `${app}-v1`),
        app,
      ).toBeDefined()
    }
  })

  it.each(['shop', 'canary', 'circuit-breaking', 'mesh-lab'])(
    '%s-local: the same objects, with the images never pulled',
    (overlay) => {
      const plain = kustomize(`${repoRoot}k8s/overlays/${overlay}`)
      const local = kustomize(`${repoRoot}k8s/overlays/${overlay}-local`)
      const deployments = local.filter((o) => o.kind === 'Deployment')
      expect(deployments.map((d) => container(d).imagePullPolicy)).toEqual(deployments.map(() => 'Never'))
      const pulledAgain = local.map((o) =>
        o.kind === 'Deployment'
          ? withPullPolicy(o, container(plain.find((p) => keyOf(p) === keyOf(o))!).imagePullPolicy)
          : o,
      )
      expect(pulledAgain).toEqual(plain)
    },
  )

  it('registry-example renames every one of the images', () => {
    const registry = kustomize(`${repoRoot}k8s/overlays/registry-example`).filter(
      (o) => o.kind === 'Deployment',
    )
    for (const deployment of registry)
      expect(container(deployment).image).toMatch(
        /^registry\.example\.com\/service-mesh-shop\/[a-z-]+:v[12]$/,
      )
  })
})

describe('every Deployment of the full build (all components)', () => {
  it('has the versions the tutorial needs', () => {
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual([...DEPLOYMENT_NAMES].sort())
  })

  it.each(deployments.map((d) => [d.metadata.name, d] as const))(
    '%s is named, labelled and run as documented',
    (name, deployment) => {
      const { app, version } = deployment.metadata.labels ?? {}
      expect(name).toBe(app === 'loadgen' ? 'loadgen' : `${app}-${version}`)
      const { replicas, selector, template } = spec<{
        replicas: number
        selector: { matchLabels: object }
        template: { metadata: { labels: object; annotations?: Record<string, string> } }
      }>(deployment)
      expect(replicas).toBe(1)
      expect(selector.matchLabels).toEqual({ app, version })
      expect(template.metadata.labels).toMatchObject({ app, version })
      const { pod } = podSpecs([deployment])[0]!
      expect(pod.serviceAccountName).toBe(app)
      expect(pod.containers).toHaveLength(1)
      const c = pod.containers[0]!
      expect(c.image).toBe(`${app}:${version}`)

      // Restricted security context.
      expect(pod.securityContext).toMatchObject({
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      })
      expect(pod.securityContext?.runAsUser).toBeGreaterThanOrEqual(10000)
      expect(c.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      })
      const tmp = c.volumeMounts?.find((m) => m.mountPath === '/tmp')
      expect(pod.volumes?.find((v) => v.name === tmp?.name)?.emptyDir, 'an emptyDir at /tmp').toBeDefined()

      // Requests and limits, requests within limits.
      const { requests = {}, limits = {} } = c.resources ?? {}
      expect(Object.keys(requests).sort()).toEqual(['cpu', 'memory'])
      expect(Object.keys(limits).sort()).toEqual(['cpu', 'memory'])
      expect(quantity(requests.cpu!)).toBeLessThanOrEqual(quantity(limits.cpu!))
      expect(quantity(requests.memory!)).toBeLessThanOrEqual(quantity(limits.memory!))

      // Probes on the app's named port, and graceful termination that outlasts the app's own.
      expect(c.ports).toEqual([{ name: 'http', containerPort: PORTS[app!] }])
      expect(c.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'http' })
      expect(c.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' })
      const variables = env(c)
      const delay = Number(variables.SHUTDOWN_DELAY_MS?.value)
      const timeout = Number(variables.SHUTDOWN_TIMEOUT_MS?.value)
      expect(delay).toBeGreaterThan(0)
      expect(pod.terminationGracePeriodSeconds! * 1000).toBeGreaterThan(delay + timeout)
      expect(variables.SERVICE_VERSION?.value).toBe(version)
      expect(template.metadata.annotations).toMatchObject({
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': String(PORTS[app!]),
        'prometheus.io/path': '/metrics',
      })
    },
  )

  it('take MONGODB_URI from the Secret, except product-catalog v1 (in memory) and the faulty order-management v2', () => {
    for (const deployment of deployments.filter((d) => d.metadata.labels?.app !== 'loadgen')) {
      const variables = env(container(deployment))
      const withoutDatabase = ['ecommerce-ui-v1', 'product-catalog-v1', 'order-management-v2']
      if (withoutDatabase.includes(deployment.metadata.name)) {
        expect(
          Object.keys(variables).filter((n) => n.startsWith('MONGODB_')),
          nameOf(deployment),
        ).toEqual([])
      } else {
        expect(variables.MONGODB_URI, nameOf(deployment)).toEqual({
          name: 'MONGODB_URI',
          valueFrom: { secretKeyRef: { name: 'mongodb-credentials', key: 'MONGODB_URI' } },
        })
      }
    }
    const profile = env(container(deployments.find((d) => d.metadata.name === 'profile-management-v1')!))
    expect(profile.JWT_PRIVATE_KEY?.valueFrom?.secretKeyRef).toEqual({
      name: 'profile-management-jwt',
      key: 'JWT_PRIVATE_KEY',
    })
  })

  it('no literal value of a secret-like variable is in a manifest', () => {
    for (const object of full) {
      for (const { pod } of podSpecs([object]))
        for (const variable of pod.containers.flatMap((c) => c.env ?? []))
          if (/URI|PASSWORD|SECRET|KEY|TOKEN/.test(variable.name))
            expect(variable.value, `${nameOf(object)} ${variable.name}`).toBeUndefined()
      expect(['Secret']).not.toContain(object.kind)
    }
  })

  it('MongoDB keeps its data on a volume claim and takes its root credentials from the Secret', () => {
    const mongodb = full.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'mongodb')!
    const { volumeClaimTemplates } = spec<{ volumeClaimTemplates: { metadata: { name: string } }[] }>(mongodb)
    expect(volumeClaimTemplates.map((v) => v.metadata.name)).toEqual(['data'])
    const variables = env(container(mongodb))
    expect(variables.MONGO_INITDB_ROOT_PASSWORD?.valueFrom?.secretKeyRef?.name).toBe('mongodb-credentials')
    expect(container(mongodb).volumeMounts).toContainEqual({ name: 'data', mountPath: '/data/db' })
  })
})

/** A copy of a Deployment whose container has the given pull policy. */
function withPullPolicy(deployment: K8sObject, policy: Container['imagePullPolicy']): K8sObject {
  const copy = structuredClone(deployment)
  podSpecs([copy])[0]!.pod.containers[0]!.imagePullPolicy = policy
  return copy
}

/** A Kubernetes quantity as a number: CPU in cores, memory in bytes. */
function quantity(value: string | number): number {
  const match = /^(\d+(?:\.\d+)?)(m|Ki|Mi|Gi)?$/.exec(String(value))
  if (!match) throw new Error(`unexpected quantity ${value}`)
  const scale = { m: 1e-3, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3 }[match[2] ?? ''] ?? 1
  return Number(match[1]) * scale
}
