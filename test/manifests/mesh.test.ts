// The Istio manifests, applied the way the chapter READMEs say, on top of the full deployment (the
// base with every component): every host, port, subset, selector and principal resolves, nothing
// conflicts, and the authorization policies allow exactly the calls the shop makes.
import { APP_NAMES, APPS, callsOf, SERVICE_NAMES, type AppName } from '@shop/contracts'
import { describe, expect, it } from 'vitest'
import { buildWith, COMPONENTS } from './lib/kustomize.js'
import { analyze } from './lib/mesh.js'
import { keyOf, loadObjects, readYamlFile, spec, yamlFiles, type K8sObject } from './lib/objects.js'
import { isAllowed, type Request } from './lib/security.js'
import { INGRESS_GATEWAY, workloads } from './lib/workloads.js'

const deployed = buildWith(COMPONENTS)
const tracingProviders = (
  readYamlFile('istio/install/istiod-values.yaml')[0] as {
    meshConfig: { extensionProviders: { name: string }[] }
  }
).meshConfig.extensionProviders.map((p) => p.name)

const istioFiles = yamlFiles('istio').filter((f) => !f.startsWith('istio/install/'))
const i = (file: string) => `istio/${file}`
const securityFiles = istioFiles.filter((f) => f.startsWith('istio/security/') && !f.includes('require-jwt'))

/** What the chapter READMEs tell you to apply together, each set on its own. */
const SCENARIOS: Record<string, string[]> = {
  'ingress (chapter 2)': [i('ingress/ecommerce-gateway.yaml'), i('ingress/peer-authentication-strict.yaml')],
  ...Object.fromEntries(
    ['v1', '80-20', '50-50', 'v2', 'header-v2'].map((step) => [
      `canary ${step} (chapter 4)`,
      [
        i('canary/destination-rule-product-catalog.yaml'),
        i(`canary/virtual-service-product-catalog-${step}.yaml`),
      ],
    ]),
  ),
  "circuit breaking, the tutorial's (chapter 5)": [
    i('circuit-breaking/destination-rule-order-management-circuit-breaker.yaml'),
    i('circuit-breaking/virtual-service-order-management-80-20.yaml'),
  ],
  'circuit breaking, back to v1': [
    i('circuit-breaking/destination-rule-order-management-circuit-breaker.yaml'),
    i('circuit-breaking/virtual-service-order-management-v1.yaml'),
  ],
  'circuit breaking, one pool': [
    i('circuit-breaking/destination-rule-order-management-one-pool.yaml'),
    i('circuit-breaking/virtual-service-order-management-one-pool.yaml'),
  ],
  'resilience: timeouts and retries': istioFiles.filter((f) =>
    /^istio\/resilience\/virtual-service-/.test(f),
  ),
  'resilience: delay on shipping': [i('resilience/fault-injection-shipping-delay.yaml')],
  'resilience: abort on inventory': [i('resilience/fault-injection-inventory-abort.yaml')],
  security: securityFiles,
  'security, tokens required for orders': [
    ...securityFiles.filter((f) => !f.endsWith('authorization-policy-order-management.yaml')),
    i('security/authorization-policy-order-management-require-jwt.yaml'),
  ],
  telemetry: [i('telemetry/telemetry-mesh-default.yaml')],
  'gateway api': istioFiles.filter((f) => f.startsWith('istio/gateway-api/')),
  'every chapter at once (the last step of each)': [
    i('ingress/ecommerce-gateway.yaml'),
    i('ingress/peer-authentication-strict.yaml'),
    i('canary/destination-rule-product-catalog.yaml'),
    i('canary/virtual-service-product-catalog-80-20.yaml'),
    i('circuit-breaking/destination-rule-order-management-one-pool.yaml'),
    i('circuit-breaking/virtual-service-order-management-one-pool.yaml'),
    ...istioFiles.filter((f) => /^istio\/resilience\/virtual-service-/.test(f)),
    ...securityFiles,
    i('telemetry/telemetry-mesh-default.yaml'),
  ],
}

const world = (files: string[]) => [...deployed, ...loadObjects(files)]

describe('Istio manifests on the deployed shop', () => {
  it('every file in istio/ is part of some scenario, so none escapes these checks', () => {
    const covered = new Set(Object.values(SCENARIOS).flat())
    expect(istioFiles.filter((f) => !covered.has(f))).toEqual([])
  })

  it.each(Object.entries(SCENARIOS))('%s: every reference resolves and nothing conflicts', (_, files) => {
    expect(files.length).toBeGreaterThan(0)
    expect(analyze(world(files), { tracingProviders })).toEqual([])
  })

  it('all mesh VirtualServices for one host share one name, so applying one replaces the other instead of conflicting', () => {
    const owners = new Map<string, Set<string>>()
    for (const vs of loadObjects(istioFiles).filter((o) => o.kind === 'VirtualService')) {
      const { hosts = [], gateways = ['mesh'] } = spec<{ hosts?: string[]; gateways?: string[] }>(vs)
      if (!gateways.includes('mesh')) continue
      for (const host of hosts) owners.set(host, (owners.get(host) ?? new Set()).add(vs.metadata.name))
    }
    expect(owners.size).toBeGreaterThan(4)
    for (const [host, names] of owners) expect([...names], host).toHaveLength(1)
  })

  it('uses the v1 Istio APIs', () => {
    for (const object of loadObjects(istioFiles).filter((o) => o.apiVersion.includes('istio.io')))
      expect(object.apiVersion, keyOf(object)).toMatch(/^(networking|security|telemetry)\.istio\.io\/v1$/)
  })
})

describe('circuit breaking', () => {
  const [tutorialRule] = loadObjects([
    i('circuit-breaking/destination-rule-order-management-circuit-breaker.yaml'),
  ])
  const [onePoolRule] = loadObjects([i('circuit-breaking/destination-rule-order-management-one-pool.yaml')])
  const outlier = (rule: K8sObject) =>
    spec<{ trafficPolicy: { outlierDetection: { maxEjectionPercent?: number } } }>(rule).trafficPolicy
      .outlierDetection
  const subsetPods = (version: string) =>
    workloads(deployed).filter((w) => w.labels.app === 'order-management' && w.labels.version === version)

  it("the tutorial's split leaves one pod in the v2 pool, which the default 10% cap never lets Envoy eject", () => {
    expect(subsetPods('v2').map((w) => spec<{ replicas: number }>(w.object!).replicas)).toEqual([1])
    expect(outlier(tutorialRule!).maxEjectionPercent).toBeUndefined()
  })

  it('the one-pool alternative has no subsets and may eject every failing pod', () => {
    expect(spec<{ subsets?: unknown[] }>(onePoolRule!).subsets).toBeUndefined()
    expect(outlier(onePoolRule!).maxEjectionPercent).toBe(100)
  })
})

describe('authorization (istio/security, deny by default)', () => {
  const policies = world(securityFiles)
  const strict = world(SCENARIOS['security, tokens required for orders']!)
  const sa = (name: string) => `cluster.local/ns/ecommerce/sa/${name}`
  const app = (name: string, port: number, extra: Partial<Request> = {}): Omit<Request, 'from'> => ({
    to: { namespace: 'ecommerce', labels: { app: name, version: 'v1' } },
    port,
    ...extra,
  })
  const gateway = `cluster.local/ns/${INGRESS_GATEWAY.namespace}/sa/${INGRESS_GATEWAY.serviceAccount}`
  const jwks = { method: 'GET', path: '/.well-known/jwks.json' }

  /** A call to an app on its port of the registry. */
  const at = (name: AppName, extra: Partial<Request> = {}) => app(name, APPS[name].port, extra)

  /** The calls the shop makes (docs/architecture.md#1-the-system-at-a-glance): each must be allowed. */
  const calls: [string, string, Omit<Request, 'from'>][] = [
    ['ingress gateway', gateway, at('ecommerce-ui')],
    ['loadgen', sa('loadgen'), at('ecommerce-ui')],
    ...callsOf('ecommerce-ui').map((name): [string, string, Omit<Request, 'from'>] => [
      'ecommerce-ui',
      sa('ecommerce-ui'),
      at(name, { method: 'POST', path: '/api/x' }),
    ]),
    ['order-management', sa('order-management'), at('product-catalog')],
    [
      'order-management',
      sa('order-management'),
      at('product-inventory', { method: 'POST', path: '/api/reservations' }),
    ],
    [
      'order-management',
      sa('order-management'),
      at('shipping-and-handling', { method: 'POST', path: '/api/shipments' }),
    ],
    ['order-management', sa('order-management'), at('profile-management', jwks)],
    ['contact-support-team', sa('contact-support-team'), at('profile-management', jwks)],
    // Sidecars fetching the JWKS for RequestAuthentication (PILOT_JWT_ENABLE_REMOTE_JWKS=hybrid).
    ['profile-management', sa('profile-management'), at('profile-management', jwks)],
    ...SERVICE_NAMES.map((name): [string, string, Omit<Request, 'from'>] => [
      name,
      sa(name),
      { to: { namespace: 'ecommerce', labels: { app: 'mongodb' } }, port: 27017 },
    ]),
  ]

  it("the calls between the shop's apps above are those of the app registry", () => {
    const between = calls
      .filter(([who, , request]) => who !== request.to.labels.app && request.to.labels.app !== 'mongodb')
      .filter(([who]) => (APP_NAMES as string[]).includes(who))
      .map(([who, , request]) => `${who} -> ${request.to.labels.app}`)
    const registry = APP_NAMES.flatMap((name) => callsOf(name).map((callee) => `${name} -> ${callee}`))
    expect(new Set(between)).toEqual(new Set(registry))
  })

  const title = ([who, , request]: [string, string, Omit<Request, 'from'>]) =>
    `${who} -> ${request.to.labels.app}:${request.port} ${request.method ?? ''} ${request.path ?? ''}`.trim()

  it.each(calls.map((call) => [title(call), call[1], call[2]] as const))('allows %s', (_, from, request) => {
    expect(isAllowed(policies, { from, ...request })).toBe(true)
  })

  /** Calls nothing in the shop makes: each must be refused. */
  const refused: [string, string, Omit<Request, 'from'>][] = [
    ['loadgen -> product-catalog (around the BFF)', sa('loadgen'), app('product-catalog', 3001)],
    ['ingress gateway -> order-management', gateway, app('order-management', 9090)],
    [
      'ecommerce-ui -> mongodb',
      sa('ecommerce-ui'),
      { to: { namespace: 'ecommerce', labels: { app: 'mongodb' } }, port: 27017 },
    ],
    ['order-management -> contact-support-team', sa('order-management'), app('contact-support-team', 8000)],
    [
      'order-management -> profile-management sign-in',
      sa('order-management'),
      app('profile-management', 3003, { method: 'POST', path: '/api/auth/signin' }),
    ],
    ['product-catalog -> order-management', sa('product-catalog'), app('order-management', 9090)],
    [
      'a workload of another namespace -> ecommerce-ui',
      'cluster.local/ns/default/sa/default',
      app('ecommerce-ui', 4000),
    ],
  ]

  it.each(refused)('refuses %s', (_, from, request) => {
    expect(isAllowed(policies, { from, ...request })).toBe(false)
  })

  it('without the deny-by-default policy, the same unknown caller would get through (so the test above means something)', () => {
    const open = policies.filter((o) => o.metadata.name !== 'allow-nothing')
    expect(isAllowed(open, { from: sa('loadgen'), ...app('loadgen-target-without-policy', 1) })).toBe(true)
    expect(isAllowed(policies, { from: sa('loadgen'), ...app('loadgen-target-without-policy', 1) })).toBe(
      false,
    )
  })

  it('with tokens required for orders, the BFF needs a verified token for carts and orders, not for the API documentation', () => {
    const bff = sa('ecommerce-ui')
    expect(
      isAllowed(strict, {
        from: bff,
        ...app('order-management', 9090, { method: 'GET', path: '/api/cart' }),
      }),
    ).toBe(false)
    expect(
      isAllowed(strict, {
        from: bff,
        ...app('order-management', 9090, {
          method: 'POST',
          path: '/api/orders',
          requestPrincipal: 'profile-management/user-1',
        }),
      }),
    ).toBe(true)
    expect(
      isAllowed(strict, {
        from: bff,
        ...app('order-management', 9090, { method: 'GET', path: '/openapi.json' }),
      }),
    ).toBe(true)
  })

  it('every workload whose sidecar verifies tokens may fetch the JWKS it needs', () => {
    const verifying = policies
      .filter((o) => o.kind === 'RequestAuthentication')
      .map((o) => spec<{ selector: { matchLabels: { app: string } } }>(o).selector.matchLabels.app)
    expect(verifying.sort()).toEqual(['contact-support-team', 'order-management', 'profile-management'])
    for (const name of verifying)
      expect(isAllowed(policies, { from: sa(name), ...app('profile-management', 3003, jwks) }), name).toBe(
        true,
      )
  })
})

describe('the analysis itself', () => {
  const [destinationRule] = loadObjects([i('canary/destination-rule-product-catalog.yaml')])
  const [virtualService] = loadObjects([i('canary/virtual-service-product-catalog-80-20.yaml')])
  const [policy] = loadObjects([i('security/authorization-policy-product-catalog.yaml')])

  it('catches a subset that selects no pod, a missing subset, a wrong port and an unknown principal', () => {
    const withoutV2 = buildWith([])
    expect(analyze([...withoutV2, destinationRule!, virtualService!]).join('\n')).toMatch(
      /subset v2 .* selects no pod/,
    )
    expect(analyze([...deployed, virtualService!]).join('\n')).toMatch(
      /subset v1 of product-catalog is defined by no DestinationRule/,
    )
    const wrongPort = structuredClone(virtualService!)
    spec<{ http: { route: { destination: { port?: { number: number } } }[] }[] }>(
      wrongPort,
    ).http[0]!.route[0]!.destination.port = { number: 80 }
    expect(analyze([...deployed, destinationRule!, wrongPort]).join('\n')).toMatch(/has no port 80/)
    const stranger = structuredClone(policy!)
    spec<{ rules: { from: { source: { principals: string[] } }[] }[] }>(
      stranger,
    ).rules[0]!.from[0]!.source.principals = ['cluster.local/ns/ecommerce/sa/nobody']
    expect(analyze([...deployed, stranger]).join('\n')).toMatch(
      /principal cluster.local\/ns\/ecommerce\/sa\/nobody/,
    )
  })

  it('catches two VirtualServices claiming one host, and a Gateway that selects no gateway', () => {
    const twin = {
      ...structuredClone(virtualService!),
      metadata: { ...virtualService!.metadata, name: 'twin' },
    }
    expect(analyze([...deployed, destinationRule!, virtualService!, twin]).join('\n')).toMatch(/IST0109/)
    const [gateway] = loadObjects([i('ingress/ecommerce-gateway.yaml')])
    const elsewhere = structuredClone(gateway!)
    spec<{ selector: object }>(elsewhere).selector = { istio: 'ingressgateway' }
    expect(analyze([...deployed, elsewhere]).join('\n')).toMatch(/matches no gateway workload/)
  })
})
