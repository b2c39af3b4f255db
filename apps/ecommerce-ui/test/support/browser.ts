import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { repoRoot } from '@shop/test-support'

/** Where the run's screenshots go (git-ignored); the best are copied to docs/screenshots by hand. */
export const screenshotDir = join(repoRoot, 'apps/ecommerce-ui/test-results/screenshots')

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export interface TestBrowser {
  context: BrowserContext
  page: Page
  /** Console errors, failed CSP checks and uncaught exceptions seen so far, other than expected HTTP failures. */
  problems: string[]
  screenshot(name: string, page?: Page): Promise<void>
  close(): Promise<void>
}

/** Debian's Chromium, headless, on a fresh profile that is deleted afterwards. */
export async function launchBrowser(viewport = { width: 1280, height: 900 }): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'shop-chromium-'))
  mkdirSync(screenshotDir, { recursive: true })
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport,
    locale: 'en-US',
    timezoneId: 'America/Los_Angeles',
  })
  context.setDefaultTimeout(20_000)
  context.setDefaultNavigationTimeout(30_000)
  const problems: string[] = []
  const watch = (page: Page) => {
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
    page.on('console', (message) => {
      // A failed request is logged by Chromium as a console error; the page shows those itself.
      if (message.type() === 'error' && !/Failed to load resource/.test(message.text()))
        problems.push(`console: ${message.text()}`)
    })
  }
  context.pages().forEach(watch)
  context.on('page', watch)
  const page = context.pages()[0] ?? (await context.newPage())
  return {
    context,
    page,
    problems,
    async screenshot(name, target = page) {
      await target.screenshot({
        path: join(screenshotDir, `${name}.png`),
        fullPage: true,
        animations: 'disabled',
      })
    },
    async close() {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    },
  }
}
