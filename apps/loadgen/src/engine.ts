import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { UnexpectedAnswer, VirtualBrowser } from './browser.js'
import { pickJourney, type KnownProduct, type Visitor } from './journeys.js'
import { Stats, type Outcome } from './stats.js'

export interface RunOptions {
  targetUrl: string
  users: number
  /** 0: until stop() is called. */
  durationSeconds: number
  rampUpSeconds: number
  thinkTimeMs: number
  requestTimeoutMs: number
  /** Called for every request, e.g. to feed Prometheus metrics. */
  onOutcome?: (outcome: Outcome) => void
}

/**
 * A load run: `users` virtual users start one after another over the ramp-up, then each walks
 * weighted journeys with think time between steps until the duration is over or stop() is called.
 */
export class LoadRun {
  readonly stats = new Stats()
  private active = 0
  private stopping = false
  private readonly wake = new AbortController()
  private readonly runId = randomBytes(3).toString('hex')

  constructor(private readonly options: RunOptions) {}

  async run(): Promise<void> {
    const { users, durationSeconds, rampUpSeconds } = this.options
    if (durationSeconds > 0) setTimeout(() => this.stop(), durationSeconds * 1000).unref()
    const products = await this.discoverProducts()
    const visitors = Array.from({ length: users }, async (_, index) => {
      await this.pause(users > 1 ? (rampUpSeconds * 1000 * index) / (users - 1) : 0)
      if (!this.stopping) await this.visit(index, products)
    })
    await Promise.all(visitors)
  }

  stop(): void {
    this.stopping = true
    this.wake.abort()
  }

  get activeUsers(): number {
    return this.active
  }

  private async visit(index: number, products: KnownProduct[]): Promise<void> {
    const visitor: Visitor = {
      browser: this.browser(),
      products,
      signedIn: false,
      serial: `${this.runId}-${index}`,
    }
    this.active++
    try {
      while (!this.stopping) {
        const journey = pickJourney()
        try {
          await journey.run(visitor, () => this.think())
          this.stats.journeyEnded(journey.name, true)
        } catch (error) {
          if (!(error instanceof UnexpectedAnswer)) throw error
          this.stats.journeyEnded(journey.name, false)
          // A lost session (the shop restarted with a new key) signs in again on the next journey.
          if (error.status === 401) visitor.signedIn = false
        }
        await this.think()
      }
    } finally {
      this.active--
    }
  }

  /** The catalog once, for the journeys to pick products from; waits for the shop to come up. */
  private async discoverProducts(): Promise<KnownProduct[]> {
    const browser = this.browser()
    while (!this.stopping) {
      try {
        const { body } = await browser.send<{ items: KnownProduct[] }>({
          route: 'GET /api/products',
          path: '/api/products?pageSize=100',
        })
        if (body.items.length) return body.items
      } catch (error) {
        if (!(error instanceof UnexpectedAnswer)) throw error
      }
      await this.pause(2_000)
    }
    return []
  }

  private browser(): VirtualBrowser {
    return new VirtualBrowser(this.options.targetUrl, this.options.requestTimeoutMs, (outcome) => {
      this.stats.record(outcome)
      this.options.onOutcome?.(outcome)
    })
  }

  private think(): Promise<void> {
    const base = this.options.thinkTimeMs
    return this.pause(base * (0.5 + Math.random()))
  }

  /** Sleeps, but wakes at once when the run stops. */
  private async pause(ms: number): Promise<void> {
    if (ms <= 0 || this.stopping) return
    await sleep(ms, undefined, { signal: this.wake.signal }).catch(() => {})
  }
}
