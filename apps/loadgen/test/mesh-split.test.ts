import { SERVICE_NAMES } from '@shop/contracts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  mongoUri,
  uniqueDatabaseName,
  startApp,
  startStack,
  startWeightedRouter,
  type StartedApp,
  type Stack,
  type WeightedRouter,
} from '@shop/test-support'
import { runLoadgen } from './helpers.js'

interface Summary {
  services: { service: string; requests: number; versions: { version: string; share: number }[] }[]
  verdicts: { expectation: string; passed: boolean; detail: string }[]
}

function load(target: string, seconds: number, ...expectations: string[]) {
  return runLoadgen<Summary>([
    ...['--target', target, '--users', '6', '--duration', `${seconds}s`],
    ...['--ramp-up', '1', '--think-time', '20', '--report-interval', '2'],
    ...expectations.flatMap((expectation) => ['--expect', expectation]),
    // ±10 points needs 107 catalog requests for 80/20 (±5 would need 425: minutes on a busy machine).
    '--tolerance',
    '10',
  ])
}

/**
 * The canary of chapter 4 without a cluster: a weighted router stands in for the VirtualService's
 * 80/20 split between two real catalog processes, v1 and v2, behind a real BFF and the other services.
 */
describe('the load generator measures the split the mesh makes', () => {
  let stack: Stack
  let catalogV2: StartedApp
  let router: WeightedRouter
  let ui: StartedApp

  beforeAll(async () => {
    stack = await startStack({
      apps: SERVICE_NAMES,
      env: { 'profile-management': { AUTH_ATTEMPTS_PER_CLIENT_PER_MINUTE: '1000' } },
    })
    catalogV2 = await startApp('product-catalog', {
      env: {
        SERVICE_VERSION: 'v2',
        MONGODB_URI: await mongoUri(),
        MONGODB_DATABASE: uniqueDatabaseName('split_catalog'),
      },
    })
    router = await startWeightedRouter([
      { url: stack.url('product-catalog'), weight: 80 },
      { url: catalogV2.url, weight: 20 },
    ])
    ui = await startApp('ecommerce-ui', {
      env: { ...stack.urls(), PRODUCT_CATALOG_URL: router.url },
    })
  })

  afterAll(async () => {
    await ui?.stop()
    await router?.close()
    await catalogV2?.stop()
    await stack?.stop()
  })

  it('passes product-catalog=v1:80,v2:20 within ±10 points, shows the live split, and exits 0', async () => {
    const { code, output, summary } = await load(
      ui.url,
      45,
      'product-catalog=v1:80,v2:20',
      'order-management:error-rate<5%',
    )
    const log = output.join('\n')
    expect(
      summary.verdicts.map((verdict) => verdict.passed),
      log,
    ).toEqual([true, true])
    expect(code, log).toBe(0)
    expect(output).toContainEqual(expect.stringMatching(/^PASS {2}product-catalog=v1:80,v2:20: measured v1 /))
    expect(output).toContainEqual(expect.stringMatching(/^\s+product-catalog v1 \d+% v2 \d+%/))
    expect(output).toContainEqual(expect.stringMatching(/^product-catalog\s+v2\s+\d+\s+\d+\.\d%/))

    // What the loadgen saw agrees with what the router did (within the tolerance).
    const catalog = summary.services.find((service) => service.service === 'product-catalog')!
    const measuredV2 = catalog.versions.find((version) => version.version === 'v2')!.share
    const routedV2 = router.counts[1]! / (router.counts[0]! + router.counts[1]!)
    expect(Math.abs(measuredV2 - routedV2)).toBeLessThan(0.1)
  })

  it('fails a wrong expectation with FAIL and a non-zero exit', async () => {
    const { code, output, summary } = await load(ui.url, 8, 'product-catalog=v1:50,v2:50')
    expect(summary.verdicts[0]).toMatchObject({ passed: false })
    expect(output).toContainEqual(expect.stringMatching(/^FAIL {2}product-catalog=v1:50,v2:50: /))
    expect(code).toBe(1)
  })
})
