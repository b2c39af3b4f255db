import { setTimeout as sleep } from 'node:timers/promises'

/** A named dependency check: resolves to undefined when fine, or to what is wrong. */
export type ReadinessCheck = () => Promise<string | undefined>

export interface ReadinessReport {
  ready: boolean
  checks: Record<string, string>
}

/** 503 until the service has started listening, 503 again from SIGTERM on, and 503 while a check fails. */
export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>()
  private state: 'starting' | 'serving' | 'stopping' = 'starting'

  addCheck(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check)
  }

  markServing(): void {
    if (this.state === 'starting') this.state = 'serving'
  }

  markStopping(): void {
    this.state = 'stopping'
  }

  get stopping(): boolean {
    return this.state === 'stopping'
  }

  /**
   * Resolves true the first time every check passes while serving (asking every `intervalMs`), or
   * false once the service is stopping. The timer does not keep the process alive.
   */
  async firstReady(intervalMs = 100): Promise<boolean> {
    while (!this.stopping) {
      if ((await this.report()).ready) return true
      await sleep(intervalMs, undefined, { ref: false })
    }
    return false
  }

  async report(): Promise<ReadinessReport> {
    const checks: Record<string, string> = { lifecycle: this.state }
    let ready = this.state === 'serving'
    await Promise.all(
      [...this.checks].map(async ([name, check]) => {
        const problem = await check().catch((error: unknown) => String(error))
        checks[name] = problem ?? 'ok'
        if (problem) ready = false
      }),
    )
    return { ready, checks }
  }
}
