// Prints the production bundle's size (raw, gzip, brotli) and the catalog page's time to first render,
// measured in headless Chromium against a BFF with product-catalog behind it (median of several loads),
// also as a ratio to a baseline measured in the same run, loads interleaved: the first paint of a bare
// HTML page from a local server. The ratio holds on a noisy machine where milliseconds do not.
//
//   npm run build -w @shop/ecommerce-ui && npm run measure -w @shop/ecommerce-ui [-- --loads 9]
import { readdirSync, readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { join } from 'node:path'
import { brotliCompressSync, gzipSync } from 'node:zlib'
import { repoRoot, startApp, stopAllProcesses } from '@shop/test-support'
import { launchBrowser } from '../test/support/browser.js'

const loadsArgument = process.argv.indexOf('--loads')
const LOADS = loadsArgument > 0 ? Number(process.argv[loadsArgument + 1]) : 7
const publicDir = join(repoRoot, 'apps/ecommerce-ui/dist/public')

const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

function bundleSizes(): void {
  const html = readFileSync(join(publicDir, 'index.html'), 'utf8')
  const initial = new Set([...html.matchAll(/(?:src|href)="\/assets\/([^"]+)"/g)].map((match) => match[1]!))
  const files = readdirSync(join(publicDir, 'assets')).filter((name) => /\.(js|css)$/.test(name))
  const totals = { js: [0, 0, 0], css: [0, 0, 0] }
  console.log('Production bundle (dist/public/assets)')
  for (const name of files.sort()) {
    const source = readFileSync(join(publicDir, 'assets', name))
    const sizes = [source.length, gzipSync(source, { level: 9 }).length, brotliCompressSync(source).length]
    const kind = name.endsWith('.js') ? 'js' : 'css'
    sizes.forEach((size, index) => (totals[kind][index]! += size))
    console.log(
      `  ${name.padEnd(28)} ${kb(sizes[0]!).padStart(9)} raw  ${kb(sizes[1]!).padStart(9)} gzip  ${kb(sizes[2]!).padStart(9)} brotli${initial.has(name) ? '  (loaded by index.html)' : ''}`,
    )
  }
  for (const kind of ['js', 'css'] as const) {
    const [raw, gzip, brotli] = totals[kind]
    console.log(
      `  ${kind.toUpperCase()} total${' '.repeat(22)}${kb(raw!).padStart(9)} raw  ${kb(gzip!).padStart(9)} gzip  ${kb(brotli!).padStart(9)} brotli`,
    )
  }
}

async function firstRender(): Promise<void> {
  const catalog = await startApp('product-catalog')
  const ui = await startApp('ecommerce-ui', { env: { PRODUCT_CATALOG_URL: catalog.url } })
  const bare = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
    response.end('<!doctype html><title>baseline</title><p>Baseline: a bare page.</p>')
  })
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve))
  const bareUrl = `http://127.0.0.1:${(bare.address() as { port: number }).port}`
  const browser = await launchBrowser()
  try {
    const { page } = browser
    const cdp = await browser.context.newCDPSession(page)
    await cdp.send('Network.enable')
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true })
    // One load to warm up Chromium and both processes; it is not counted.
    await page.goto(ui.url)
    await page.getByTestId('product-card').first().waitFor()

    const runs: { fcp: number; rendered: number; transferred: number }[] = []
    const baseline: number[] = []
    for (let load = 0; load < LOADS; load++) {
      await page.goto(`${bareUrl}/?load=${load}`)
      await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0)
      baseline.push(
        await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]!.startTime),
      )
      await page.goto(`${ui.url}/?load=${load}`)
      // The page marks the moment the products are on screen; the paint entry follows the frame.
      await page.waitForFunction(
        () =>
          performance.getEntriesByName('shop:catalog-rendered').length > 0 &&
          performance.getEntriesByName('first-contentful-paint').length > 0,
      )
      runs.push(
        await page.evaluate(() => ({
          fcp: performance.getEntriesByName('first-contentful-paint')[0]!.startTime,
          rendered: performance.getEntriesByName('shop:catalog-rendered')[0]!.startTime,
          transferred: performance
            .getEntriesByType('resource')
            .concat(performance.getEntriesByType('navigation'))
            .reduce((sum, entry) => sum + (entry as PerformanceResourceTiming).transferSize, 0),
        })),
      )
    }
    console.log(
      `\nCatalog page, cold cache, ${LOADS} loads in headless Chromium (BFF + product-catalog v1 on this machine)`,
    )
    for (const [index, run] of runs.entries())
      console.log(
        `  load ${index + 1}: first contentful paint ${run.fcp.toFixed(0)} ms, products rendered ${run.rendered.toFixed(0)} ms, ${kb(run.transferred)} transferred`,
      )
    console.log(`  median first contentful paint: ${median(runs.map((run) => run.fcp)).toFixed(0)} ms`)
    const rendered = median(runs.map((run) => run.rendered))
    console.log(
      `  median time to first render of the catalog (products on screen): ${rendered.toFixed(0)} ms`,
    )
    const bareFcp = median(baseline)
    console.log(
      `  baseline, a bare HTML page's first paint (same browser, interleaved): median ${bareFcp.toFixed(0)} ms`,
    )
    console.log(`  catalog first render / baseline first paint: ${(rendered / bareFcp).toFixed(1)}x`)
  } finally {
    bare.close()
    await browser.close()
    await stopAllProcesses()
  }
}

bundleSizes()
await firstRender()
