import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parse } from 'yaml'
import { beforeAll, describe, expect, it } from 'vitest'
import { youngGenerationOf } from '@shop/contracts'
import { repoRoot, startApp } from '@shop/test-support'

interface ComposeService {
  image?: string
  build?: { args?: Record<string, string> }
  environment?: Record<string, string | null>
  depends_on?: Record<string, { condition: string }>
  healthcheck?: unknown
  ports?: { published: string | number; target: number }[]
  user?: string
  read_only?: boolean
  cap_drop?: string[]
}

interface ConfigSchemaModule {
  ConfigSchema: { properties: Record<string, { default?: unknown }> }
}

/** `docker-compose config` (Debian's docker-compose) validates the file offline and prints it resolved. */
function composeConfig(): { services: Record<string, ComposeService> } {
  const result = spawnSync(
    'docker-compose',
    ['-f', 'docker-compose.yml', '--profile', 'v2', '--profile', 'loadgen', 'config'],
    { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, JWT_PRIVATE_KEY: '' } },
  )
  if (result.error)
    throw new Error(`docker-compose is needed for this test (.ci/run installs it): ${result.error.message}`)
  expect(result.stderr.replace(/.*WARNING.*\n/g, '')).toBe('')
  expect(result.status).toBe(0)
  return parse(result.stdout) as { services: Record<string, ComposeService> }
}

const importSchema = async (app: string) =>
  ((await import(pathToFileURL(join(repoRoot, 'apps', app, 'dist', 'config.js')).href)) as ConfigSchemaModule)
    .ConfigSchema

describe('docker-compose.yml', () => {
  let services: Record<string, ComposeService>
  let appServices: [string, ComposeService & { app: string }][]

  beforeAll(() => {
    services = composeConfig().services
    appServices = Object.entries(services)
      .filter(([, service]) => service.build?.args?.APP)
      .map(([name, service]) => [name, { ...service, app: service.build!.args!.APP! }])
  })

  it('runs every app of the repository, and both v2 versions', () => {
    const apps = new Set(appServices.map(([, service]) => service.app))
    expect([...apps].sort()).toEqual(
      [
        'contact-support-team',
        'ecommerce-ui',
        'loadgen',
        'order-management',
        'product-catalog',
        'product-inventory',
        'profile-management',
        'shipping-and-handling',
      ].sort(),
    )
    expect(services['product-catalog-v2']?.environment?.SERVICE_VERSION).toBe('v2')
    expect(services['order-management-v2']?.environment).not.toHaveProperty('MONGODB_URI')
    expect(services['ecommerce-ui']?.ports?.map((port) => `${port.published}:${port.target}`)).toEqual([
      '4000:4000',
    ])
  })

  it('gives each app only variables its config schema knows, with values it accepts, on its own port', async () => {
    for (const [name, service] of appServices) {
      const schema = await importSchema(service.app)
      expect(service.build!.args!.PORT, name).toBe(String(schema.properties.PORT!.default))
      for (const variable of Object.keys(service.environment ?? {}))
        if (!variable.startsWith('OTEL_'))
          expect(Object.keys(schema.properties), `${name}: ${variable}`).toContain(variable)
    }
  })

  it('builds each app with its own young generation, as the image script does', () => {
    for (const [name, service] of appServices)
      expect(Number(service.build!.args!.YOUNG_GENERATION_MIB ?? 1), name).toBe(
        youngGenerationOf(service.app),
      )
    expect(youngGenerationOf('ecommerce-ui')).toBeGreaterThan(1)
  })

  it('resolves every service URL, given or defaulted, to a compose service on that app port', async () => {
    const portOf = async (serviceName: string) => {
      const service = services[serviceName]
      expect(service, `no compose service ${serviceName}`).toBeDefined()
      return Number(service!.build?.args?.PORT)
    }
    for (const [name, service] of appServices) {
      const schema = await importSchema(service.app)
      const urls = Object.entries(schema.properties)
        .filter(([variable]) => variable.endsWith('_URL') && variable !== 'JAEGER_UI_URL')
        .map(
          ([variable, property]) => [variable, service.environment?.[variable] ?? property.default] as const,
        )
      for (const [variable, url] of urls) {
        if (typeof url !== 'string') continue
        const { hostname, port } = new URL(url)
        expect(await portOf(hostname), `${name} ${variable}=${url}`).toBe(Number(port))
      }
    }
  })

  it('runs the apps locked down: unprivileged user, read-only root, no capabilities', () => {
    for (const [name, service] of appServices) {
      expect(service.user, name).toBe('10001:10001')
      expect(service.read_only, name).toBe(true)
      expect(service.cap_drop, name).toEqual(['ALL'])
    }
  })

  it('waits only on services that can report health', () => {
    for (const [name, service] of Object.entries(services))
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        if (condition !== 'service_healthy') continue
        const target = services[dependency]!
        // App images carry a HEALTHCHECK (see the Dockerfile); others need one in the compose file.
        expect(Boolean(target.build?.args?.APP || target.healthcheck), `${name} -> ${dependency}`).toBe(true)
      }
    expect(readFileSync(join(repoRoot, 'Dockerfile'), 'utf8')).toMatch(/^HEALTHCHECK /m)
  })

  it('has Prometheus scrape every app on its port', () => {
    const config = parse(readFileSync(join(repoRoot, 'compose/prometheus/prometheus.yml'), 'utf8')) as {
      scrape_configs: { static_configs: { targets: string[] }[] }[]
    }
    const targets = config.scrape_configs.flatMap((job) =>
      job.static_configs.flatMap((group) => group.targets),
    )
    const expected = appServices.map(([name, service]) => `${name}:${service.build!.args!.PORT}`)
    expect(targets.sort()).toEqual(expected.sort())
  })

  it('has a Grafana dashboard whose queries use metrics the apps really expose', async () => {
    const dashboard = JSON.parse(
      readFileSync(join(repoRoot, 'compose/grafana/dashboards/shop.json'), 'utf8'),
    ) as {
      panels: { targets: { expr: string }[] }[]
    }
    const expressions = dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr))
    // Metric names: identifiers followed by a selector, a range or a closing parenthesis, once the
    // `by (labels)` clauses are gone.
    const metrics = new Set(
      expressions
        .map((expr) => expr.replace(/by \([^)]*\)/g, ''))
        .flatMap((expr) => [...expr.matchAll(/\b([a-z_]+)(?=\{|\[|\))/g)].map((match) => match[1]!)),
    )
    metrics.delete('up')
    expect([...metrics]).toContain('shop_orders_placed_total')

    const app = await startApp('order-management', { env: { SERVICE_VERSION: 'v2' } })
    await fetch(`${app.url}/api/cart`)
    const exposition = await (await fetch(`${app.url}/metrics`)).text()
    await app.stop()
    for (const metric of metrics) expect(exposition, metric).toMatch(new RegExp(`^${metric}[{ ]`, 'm'))
  })
})
