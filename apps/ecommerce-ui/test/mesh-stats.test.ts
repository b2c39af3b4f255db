import { afterAll, describe, expect, it } from 'vitest'
import { callJson, freePort, repoRoot, startApp, startService, type StartedApp } from '@shop/test-support'

interface MeshStats {
  configured: boolean
  requests?: number
  services?: { service: string; versions: { version: string; requests: number }[] }[]
}

describe('GET /api/mesh/stats, for the page at /mesh', () => {
  const started: StartedApp[] = []
  afterAll(async () => {
    for (const app of started.reverse()) await app.stop()
  })

  it('says that no load generator is configured when LOADGEN_URL is not set', async () => {
    const ui = await startApp('ecommerce-ui')
    started.push(ui)
    const answer = await callJson<MeshStats>(`${ui.url}/api/mesh/stats`)
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({ configured: false })
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
