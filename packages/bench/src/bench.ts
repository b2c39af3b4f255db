// `npm run bench`: starts the apps as real processes, loads them with autocannon in interleaved rounds,
// and prints each figure that matters as a ratio to a baseline measured in the same run (see README).
import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { callsOf, urlVariableOf } from '@shop/contracts'
import { mongoUri, uniqueDatabaseName } from '@shop/test-support'
import { parseBenchArgs, UsageError, type BenchOptions } from './args.js'
import { checkoutRequests, signUpShoppers, stockUp } from './checkout.js'
import { drive, driveTogether, type LoadResult } from './load.js'
import { launchApp, launchFixture, rssMb, type Launched } from './processes.js'
import {
  bestRounds,
  formatReport,
  ratioOf,
  sameRoundSpread,
  type AppFigures,
  type Ratio,
  type RoundResult,
} from './report.js'

/** What the issue asks of every app, and of the BFF after load. */
const APP_LIMITS = { readyMs: 1500, idleRssMb: 100, loadedRssMb: 180 }
const BFF_LIMITS = { ...APP_LIMITS, loadedRssMb: 200 }
/** Shoppers placing orders at once; each sign-up costs an argon2id hash. */
const SHOPPERS = 10

interface Target {
  name: string
  /** The apps whose memory this target's load drives up. */
  loads: Launched[]
  run(options: BenchOptions): Promise<LoadResult>
}

async function main(options: BenchOptions): Promise<void> {
  const logDir = mkdtempSync(join(tmpdir(), 'shop-bench-'))
  const uri = await mongoUri()
  const prefix = uniqueDatabaseName('bench')
  const database = (name: string) => ({ MONGODB_URI: uri, MONGODB_DATABASE: `${prefix}_${name}` })
  const secrets = deployedSecrets()
  const started: Launched[] = []
  // One at a time, so that each time-to-ready is the app's own, not a fight for the cores.
  const start = async (launching: Promise<Launched>, limits?: AppFigures['limits']) => {
    const launched = await launching
    started.push(launched)
    if (limits) figures.set(launched, limits)
    return launched
  }
  const figures = new Map<Launched, AppFigures['limits']>()
  const untraced = { OTEL_SDK_DISABLED: 'true' }

  try {
    progress(`logs in ${logDir}; starting the targets one at a time`)
    const sink = await start(launchFixture('otlp-sink.mjs', { label: 'otlp-sink', logDir }))
    const hello = await start(launchFixture('hello.mjs', { label: 'fastify-hello', logDir }))
    const catalogUntraced = await start(
      launchApp('product-catalog', { label: 'product-catalog v1 untraced', env: untraced, logDir }),
      APP_LIMITS,
    )
    const catalogTraced = await start(
      launchApp('product-catalog', { label: 'product-catalog v1 traced', logDir }),
      APP_LIMITS,
    )
    const catalogExporting = await start(
      launchApp('product-catalog', {
        label: 'product-catalog v1 exporting',
        env: { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' },
        logDir,
      }),
      APP_LIMITS,
    )
    const catalogBehindUi = await start(
      launchApp('product-catalog', { label: 'product-catalog v1 behind the UI', logDir }),
      APP_LIMITS,
    )
    const ui = await start(
      launchApp('ecommerce-ui', {
        env: { PRODUCT_CATALOG_URL: catalogBehindUi.url },
        logDir,
      }),
      BFF_LIMITS,
    )
    const catalogV2 = await start(
      launchApp('product-catalog', {
        label: 'product-catalog v2',
        env: { SERVICE_VERSION: 'v2', ...database('catalog_v2') },
        logDir,
      }),
      APP_LIMITS,
    )
    const driverList = await start(
      launchFixture('driver-list.mjs', { label: 'driver find-all', env: database('catalog_v2'), logDir }),
    )

    const neighbours: Record<string, Launched> = {}
    for (const app of callsOf('order-management')) {
      neighbours[urlVariableOf(app)] = await start(
        launchApp(app, { label: `${app} (checkout)`, env: { ...database(app), ...secrets[app] }, logDir }),
        APP_LIMITS,
      )
    }
    const urls = Object.fromEntries(Object.entries(neighbours).map(([name, app]) => [name, app.url]))
    const orders = await start(
      launchApp('order-management', { env: { ...database('order_management'), ...urls }, logDir }),
      APP_LIMITS,
    )
    await start(
      launchApp('contact-support-team', {
        env: { ...database('contact_support_team'), PROFILE_MANAGEMENT_URL: urls.PROFILE_MANAGEMENT_URL },
        logDir,
      }),
      APP_LIMITS,
    )

    // Idle: each app has collected its start-up garbage (launchApp waits for it), and then 2 s more.
    await new Promise((resolve) => setTimeout(resolve, 2_000))
    const idle = new Map(started.map((app) => [app, rssMb(app.child)]))

    progress('restocking the bench inventory for checkout')
    await stockUp(uri, database('product-inventory').MONGODB_DATABASE)
    progress(`signing up ${SHOPPERS} shoppers`)
    const tokens = await signUpShoppers(neighbours.PROFILE_MANAGEMENT_URL!.url, SHOPPERS)

    const list =
      (target: Launched, path = '/api/products') =>
      (runOptions: BenchOptions) =>
        drive({
          url: `${target.url}${path}`,
          connections: runOptions.connections,
          durationSeconds: runOptions.durationSeconds,
        })
    const targets: Target[] = [
      { name: 'fastify hello (ceiling)', loads: [hello], run: list(hello, '/') },
      { name: 'catalog v1 untraced', loads: [catalogUntraced], run: list(catalogUntraced) },
      { name: 'catalog v1 traced', loads: [catalogTraced], run: list(catalogTraced) },
      { name: 'catalog v1 traced+exporting', loads: [catalogExporting, sink], run: list(catalogExporting) },
      { name: 'BFF list (ecommerce-ui)', loads: [ui, catalogBehindUi], run: list(ui) },
      { name: 'driver find-all (baseline)', loads: [driverList], run: list(driverList) },
      { name: 'catalog v2 list', loads: [catalogV2], run: list(catalogV2) },
      {
        name: 'checkout (orders)',
        loads: [orders, ...Object.values(neighbours)],
        async run(runOptions) {
          const placed = { count: 0 }
          const shoppers = tokens.map((token) => ({
            url: orders.url,
            connections: 1,
            durationSeconds: runOptions.durationSeconds,
            requests: checkoutRequests(token, placed),
          }))
          return driveTogether(shoppers, () => placed.count)
        },
      },
    ]

    const results: RoundResult[] = []
    for (let round = 1; round <= options.rounds; round++) {
      for (const target of targets) {
        progress(`round ${round}/${options.rounds}: ${target.name}`)
        results.push({ target: target.name, round, ...(await target.run(options)) })
      }
    }
    const loaded = new Map<Launched, number>()
    for (const target of targets) for (const app of target.loads) loaded.set(app, rssMb(app.child))

    const best = bestRounds(results)
    const ratios: Ratio[] = [
      ratioOf(best, 'untraced catalog of the ceiling', 'catalog v1 untraced', 'fastify hello (ceiling)'),
      ratioOf(best, 'tracing on', 'catalog v1 traced', 'catalog v1 untraced', 0.8),
      ratioOf(best, 'tracing on, exporting', 'catalog v1 traced+exporting', 'catalog v1 untraced', 0.7),
      ratioOf(best, 'the BFF hop', 'BFF list (ecommerce-ui)', 'catalog v1 traced', 0.35),
      ratioOf(best, 'v2 of the bare driver', 'catalog v2 list', 'driver find-all (baseline)', 0.5),
      ratioOf(best, 'orders per catalog list', 'checkout (orders)', 'catalog v1 traced'),
    ].map((ratio) => ({ ...ratio, sameRound: sameRoundSpread(results, ratio.target, ratio.baseline) }))
    const apps: AppFigures[] = [...figures].map(([app, limits]) => ({
      app: app.label,
      readyMs: app.readyMs,
      idleRssMb: idle.get(app)!,
      loadedRssMb: loaded.get(app),
      limits,
    }))

    process.stdout.write(`\n${formatReport(best, ratios, apps)}\n\n`)
    const out = resolve(process.env.INIT_CWD ?? process.cwd(), options.out)
    writeFileSync(
      out,
      `${JSON.stringify(
        {
          date: new Date().toISOString(),
          machine: { node: process.version, cpus: cpus().length, loadAverageAtEnd: loadavg() },
          options,
          rounds: results,
          best: [...best.values()],
          ratios,
          apps,
        },
        null,
        2,
      )}\n`,
    )
    process.stdout.write(`JSON: ${out}\n`)
  } finally {
    await Promise.all(started.map((app) => app.stop()))
  }
}

/**
 * What a deployment gives an app besides its settings: profile-management's signing key, from a
 * Secret in the cluster and from a file under `npm start`. Without one it makes an RSA key as it
 * starts (tens to hundreds of milliseconds of prime search), which no deployment waits for.
 */
function deployedSecrets(): Record<string, Record<string, string>> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  return {
    'profile-management': { JWT_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() },
  }
}

function progress(message: string): void {
  console.error(`[bench] ${message}`)
}

try {
  await main(parseBenchArgs(process.argv.slice(2)))
} catch (error) {
  if (error instanceof UsageError) {
    console.error(error.message)
    process.exit(2)
  }
  throw error
}
