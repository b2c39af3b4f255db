import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mongoUri, repoRoot, startApp, uniqueDatabaseName, type StartedApp } from '@shop/test-support'

const run = promisify(execFile)

/**
 * Schemathesis (from PyPI, installed by .ci/install-schemathesis) generates requests from each
 * service's OpenAPI document and checks every answer against it, with all of its checks. Bounded
 * examples keep the run to about a minute a service on two cores.
 *
 * Covered so far: the services that need no token. profile-management, order-management,
 * contact-support-team and the BFF (signed in and out) are not run here yet.
 */
const SERVICES: { name: string; database?: string; excludeChecks?: string[] }[] = [
  { name: 'product-catalog' },
  { name: 'shipping-and-handling', database: 'st_shipping' },
  {
    name: 'product-inventory',
    database: 'st_inventory',
    // Not applicable: POST /api/reservations takes one line per product. JSON Schema cannot state
    // "unique by productId" (the document says it in words and refuses identical lines with
    // uniqueItems), so a generated body naming one product twice with other quantities is
    // schema-valid and rightly refused with a 400.
    excludeChecks: ['positive_data_acceptance'],
  },
]

describe('the OpenAPI documents hold against schemathesis', { timeout: 600_000 }, () => {
  let schemathesis: string
  const apps = new Map<string, StartedApp>()

  beforeAll(async () => {
    const installed = await run(`${repoRoot}.ci/install-schemathesis`, [], { timeout: 600_000 })
    schemathesis = installed.stdout.trim()
    const uri = await mongoUri()
    for (const service of SERVICES) {
      const env = service.database
        ? { MONGODB_URI: uri, MONGODB_DATABASE: uniqueDatabaseName(service.database) }
        : {}
      apps.set(service.name, await startApp(service.name, { env, timeoutMs: 60_000 }))
    }
  }, 660_000)

  afterAll(async () => {
    await Promise.all([...apps.values()].map((app) => app.stop()))
  })

  it.each(SERVICES)('$name: no failures with all checks', async (service) => {
    const app = apps.get(service.name)!
    // A fixed seed: CI fails on a finding, never on the draw; change the seed to explore further.
    const args = ['run', `${app.url}/openapi.json`, '--checks', 'all', '--max-examples', '10', '--no-color']
    args.push('--seed', '20261130')
    for (const check of service.excludeChecks ?? []) args.push('--exclude-checks', check)
    const result = await run(schemathesis, args, {
      cwd: process.env.TMPDIR ?? '/tmp',
      timeout: 300_000,
    }).then(
      (done) => ({ code: 0, output: done.stdout }),
      (failed: { code?: number; stdout?: string; stderr?: string }) => ({
        code: failed.code ?? 1,
        output: `${failed.stdout ?? ''}${failed.stderr ?? ''}`,
      }),
    )
    expect(result.code, result.output).toBe(0)
  })
})
