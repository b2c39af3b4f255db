import { afterAll, describe, expect, it } from 'vitest'
import { callJson, freePort, repoRoot, startApp, startService, type StartedApp } from '@shop/test-support'
import { launchBrowser, type TestBrowser } from './support/browser.js'

interface MeshStats {
  configured: boolean
  requests?: number
  services?: { service: string; versions: { version: string; requests: number }[] }[]
  verdicts?: { expectation: string; passed: boolean }[]
}

describe('GET /api/mesh/stats, for the page at /mesh', () => {
  const started: StartedApp[] = []
  let browser: TestBrowser | undefined
  afterAll(async () => {
    await browser?.close()
    for (const app of started.reverse()) await app.stop()
  })

  it('says that no load generator is configured when LOADGEN_URL is not set', async () => {
    const ui = await startApp('ecommerce-ui')
    started.push(ui)
    const answer = await callJson<MeshStats>(`${ui.url}/api/mesh/stats`)
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({ configured: false })

    // The page says so in Chromium, rather than showing an empty table.
    browser = await launchBrowser()
    await browser.page.goto(`${ui.url}/mesh`)
    await expect.poll(() => browser!.page.getByTestId('mesh-no-loadgen').isVisible()).toBe(true)
  })

  it('relays the split the load generator measures, per service and version', async () => {
    const catalog = await startApp('product-catalog')
    started.push(catalog)
    // The BFF and the load generator point at each other: the loadgen's port is chosen first.
    const loadgenPort = await freePort()
    const ui = await startApp('ecommerce-ui', {
      env: { PRODUCT_CATALOG_URL: catalog.url, LOADGEN_URL: `http://127.0.0.1:${loadgenPort}` },
    })
    started.push(ui)
    const loadgen = await startService(`${repoRoot}apps/loadgen/dist/server.js`, {
      label: 'loadgen',
      env: {
        PORT: String(loadgenPort),
        TARGET_URL: ui.url,
        USERS: '1',
        THINK_TIME_MS: '50',
        REPORT_INTERVAL_SECONDS: '1',
        // One promise the lone v1 keeps, one it cannot: both are checked against the totals.
        EXPECT: 'product-catalog=v1:100 product-catalog=v1:50,v2:50',
      },
    })
    started.push(loadgen)

    let stats: MeshStats = { configured: false }
    const deadline = Date.now() + 30_000
    while (!stats.services?.some((service) => service.service === 'product-catalog')) {
      if (Date.now() > deadline) throw new Error(`no catalog in ${JSON.stringify(stats)}`)
      await new Promise((resolve) => setTimeout(resolve, 500))
      stats = (await callJson<MeshStats>(`${ui.url}/api/mesh/stats`)).body
    }
    expect(stats.configured).toBe(true)
    expect(stats.requests).toBeGreaterThan(0)
    const catalogSplit = stats.services!.find((service) => service.service === 'product-catalog')!
    expect(catalogSplit.versions.map((version) => version.version)).toEqual(['v1'])
    expect(stats.verdicts?.map(({ expectation, passed }) => ({ expectation, passed }))).toEqual([
      { expectation: 'product-catalog=v1:100', passed: true },
      { expectation: 'product-catalog=v1:50,v2:50', passed: false },
    ])

    // The page at /mesh shows the same split, live, in Chromium.
    browser ??= await launchBrowser()
    await browser.page.goto(`${ui.url}/mesh`)
    const total = browser.page.getByTestId('mesh-total')
    await expect
      .poll(() => total.getByRole('row').filter({ hasText: 'product-catalog' }).first().textContent(), {
        timeout: 20_000,
      })
      .toMatch(/product-catalog\s*v1\s*100/)
    await expect
      .poll(() => browser!.page.getByTestId('mesh-verdicts').textContent())
      .toMatch(/PASS product-catalog=v1:100.*FAIL product-catalog=v1:50,v2:50/)
    expect(browser.problems).toEqual([])
  })

  it('answers a 502 problem when the configured load generator is unreachable', async () => {
    const ui = await startApp('ecommerce-ui', {
      env: { LOADGEN_URL: `http://127.0.0.1:${await freePort()}` },
    })
    started.push(ui)
    const answer = await callJson<{ status: number; detail: string }>(`${ui.url}/api/mesh/stats`)
    expect(answer.status).toBe(502)
    expect(answer.body.detail).toMatch(/^loadgen is unreachable/)
  })
})
