import { setTimeout as sleep } from 'node:timers/promises'
import { shutdownTracing } from '@shop/tracing'
import { ConfigError } from './config.js'
import { collectStartUpGarbage, letOldGenerationDouble } from './heap.js'
import type { ServiceApp } from './service.js'
import { keepTickObjectShape } from './tick-shape.js'

/**
 * Starts a service built by `build`, and stops it gracefully on SIGTERM or SIGINT: readiness turns
 * 503, the listener closes after SHUTDOWN_DELAY_MS, in-flight requests finish, the database closes,
 * spans are flushed, and the process exits 0 (1 if that takes longer than SHUTDOWN_TIMEOUT_MS).
 */
export async function runService(build: () => Promise<ServiceApp>): Promise<void> {
  void keepTickObjectShape()
  let app: ServiceApp
  try {
    app = await build()
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message)
      process.exit(1)
    }
    throw error
  }
  const { PORT, HOST, SHUTDOWN_DELAY_MS, SHUTDOWN_TIMEOUT_MS } = app.runtimeConfig

  process.on('uncaughtException', (error) => {
    app.log.fatal({ err: error }, 'uncaught exception')
    process.exit(1)
  })
  process.on('unhandledRejection', (reason) => {
    app.log.fatal({ err: reason }, 'unhandled rejection')
    process.exit(1)
  })

  let stopping = false
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return
    stopping = true
    app.log.info({ signal }, 'shutting down')
    app.readiness.markStopping()
    if (SHUTDOWN_DELAY_MS > 0) await sleep(SHUTDOWN_DELAY_MS)
    const deadline = setTimeout(() => {
      app.log.error({ timeoutMs: SHUTDOWN_TIMEOUT_MS }, 'in-flight requests did not finish in time')
      process.exit(1)
    }, SHUTDOWN_TIMEOUT_MS)
    try {
      await app.close()
      await shutdownTracing()
      app.log.info('stopped')
      process.exit(0)
    } catch (error) {
      app.log.error({ err: error }, 'shutdown failed')
      process.exit(1)
    } finally {
      clearTimeout(deadline)
    }
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)

  await app.listen({ port: PORT, host: HOST })
  app.readiness.markServing()
  letOldGenerationDouble()
  void collectStartUpGarbageOnceReady(app)
}

/**
 * Once ready (its database set up too), start-up is over: what it left behind can go. A second later,
 * so that the first answers of the ready app, its readiness probe's among them, do not wait for the
 * collection (60-110 ms).
 */
async function collectStartUpGarbageOnceReady(app: ServiceApp): Promise<void> {
  if (!(await app.readiness.firstReady())) return
  await sleep(1_000, undefined, { ref: false })
  if (app.readiness.stopping) return
  try {
    app.log.info(collectStartUpGarbage(), 'start-up garbage collected')
  } catch (error) {
    // Memory it would have saved, not a reason to stop serving.
    app.log.warn({ err: error }, 'start-up garbage not collected')
  }
}
