#!/usr/bin/env node
import { generateKeyPairSync } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { APP_NAMES, APPS, SERVICE_NAMES, startWaves } from '@shop/contracts'
import { portsInUse, repoRoot } from '@shop/local-runtime'
import { provideDatabase, type RunningDatabase } from './database.js'
import { startInstance, stopAll, waitUntilReady, type Instance, type RunningInstance } from './supervisor.js'

const HELP = `Runs the whole shop as local processes: npm start [-- options]

  --v2                  also start product-catalog v2 (:${APPS['product-catalog'].v2Port}) and order-management v2 (:${APPS['order-management'].v2Port}, no database)
  --ui-catalog=v1|v2    which product-catalog the UI's backend calls (v2 implies --v2)
  --ui-orders=v1|v2     which order-management the UI's backend calls (v2 implies --v2)
  --data-dir=DIR        where the embedded database, the dev signing key and the logs live (default .data)

Database: MONGODB_URI when set; else an embedded FerretDB or MongoDB under the data dir.
Tracing: set OTEL_EXPORTER_OTLP_ENDPOINT (e.g. http://localhost:4318) to export spans; JAEGER_UI_URL to link them.`

const { values: options } = parseArgs({
  options: {
    v2: { type: 'boolean', default: false },
    'ui-catalog': { type: 'string', default: 'v1' },
    'ui-orders': { type: 'string', default: 'v1' },
    'data-dir': { type: 'string', default: '.data' },
    help: { type: 'boolean', default: false },
  },
})
if (options.help) {
  console.log(HELP)
  process.exit(0)
}
for (const option of ['ui-catalog', 'ui-orders'] as const) {
  if (options[option] !== 'v1' && options[option] !== 'v2') {
    console.error(`--${option} must be v1 or v2`)
    process.exit(2)
  }
}
const withV2 = options.v2 || options['ui-catalog'] === 'v2' || options['ui-orders'] === 'v2'
const dataDir = resolve(repoRoot, options['data-dir'])
const started = Date.now()

const running: RunningInstance[] = []
let database: RunningDatabase | undefined
let stopping = false
const stop = async (code: number) => {
  if (stopping) return
  stopping = true
  console.log('\nStopping the shop...')
  await stopAll(running)
  await database?.stop()
  process.exit(code)
}
// Ctrl-C, a stop button or `timeout` (SIGINT, SIGTERM, forwarded by npm) and a closed terminal (SIGHUP).
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(0))
// npm forwards SIGINT and SIGTERM only: when it dies of anything else, this process is reparented.
const parent = process.ppid
setInterval(() => {
  if (process.ppid !== parent) void stop(0)
}, 500).unref()

try {
  database = await provideDatabase(dataDir, repoRoot)
} catch (error) {
  console.error(
    `No database (${(error as Error).message}): set MONGODB_URI=mongodb://host:27017/ (any MongoDB or FerretDB), install Go to build FerretDB, or use \`docker compose up\` instead.`,
  )
  process.exit(1)
}

const instances = plan()
const taken = await portsInUse(instances.map((instance) => instance.port))
if (taken.length) {
  console.error(`Port ${taken.join(', ')} already in use: is the shop (or something else) running already?`)
  await database.stop()
  process.exit(1)
}
const labelWidth = Math.max(...instances.map((instance) => instance.label.length))
try {
  // Wave by wave, each app once what it calls is ready (docs/architecture.md#1-the-system-at-a-glance).
  for (const wave of startWaves()) {
    const starting = instances.filter((instance) => wave.includes(instance.app))
    const started = starting.map((instance) =>
      startInstance(instance, {
        logDir: join(dataDir, 'logs'),
        index: instances.indexOf(instance),
        labelWidth,
      }),
    )
    running.push(...started)
    for (const instance of started) {
      void instance.exited.then((code) => {
        if (!stopping)
          console.error(`${instance.label} exited with code ${code}; the other apps keep running`)
      })
    }
    await Promise.all(started.map((instance) => waitUntilReady(instance, 90_000)))
  }
} catch (error) {
  console.error(`The shop could not start: ${(error as Error).message}`)
  await stop(1)
}
printSummary()

/** Every instance with its port, version and environment (docs/architecture.md#2-configuration). */
function plan(): Instance[] {
  const url = (port: number) => `http://127.0.0.1:${port}`
  const urls = Object.fromEntries(SERVICE_NAMES.map((name) => [APPS[name].urlVariable, url(APPS[name].port)]))
  const common = { ...urls, MONGODB_URI: database!.uri }
  const list: Instance[] = APP_NAMES.map((name) => ({
    label: name,
    app: name,
    version: 'v1',
    port: APPS[name].port,
    env: { ...common },
  }))
  list.find((instance) => instance.app === 'profile-management')!.env.JWT_PRIVATE_KEY = devSigningKey()
  if (withV2) {
    const catalogV2 = APPS['product-catalog'].v2Port
    const ordersV2 = APPS['order-management'].v2Port
    list.push(
      {
        label: 'product-catalog-v2',
        app: 'product-catalog',
        version: 'v2',
        port: catalogV2,
        env: { ...common, SERVICE_VERSION: 'v2' },
      },
      // The tutorial's faulty order-management v2: deployed without its database on purpose.
      {
        label: 'order-management-v2',
        app: 'order-management',
        version: 'v2',
        port: ordersV2,
        env: { ...common, SERVICE_VERSION: 'v2', MONGODB_URI: undefined },
      },
    )
    const ui = list.find((instance) => instance.app === 'ecommerce-ui')!
    if (options['ui-catalog'] === 'v2') ui.env.PRODUCT_CATALOG_URL = url(catalogV2)
    if (options['ui-orders'] === 'v2') ui.env.ORDER_MANAGEMENT_URL = url(ordersV2)
  }
  return list
}

/** A signing key kept in the data dir, so sessions survive a restart of the shop. */
function devSigningKey(): string {
  const file = join(dataDir, 'jwt-private-key.pem')
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true })
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 })
  }
  return readFileSync(file, 'utf8')
}

function printSummary(): void {
  const rows = running.map((instance) =>
    [
      instance.label.padEnd(labelWidth),
      instance.version.padEnd(7),
      String(instance.port).padEnd(5),
      'ready',
    ].join('  '),
  )
  console.log(
    [
      '',
      `The shop is ready at http://localhost:4000 (all ${running.length} apps ready in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
      '',
      `${'app'.padEnd(labelWidth)}  version  port   state`,
      ...rows,
      '',
      `Database: ${database!.origin}`,
      `Logs: ${join(dataDir, 'logs')}/<app>.log   Stop: Ctrl-C`,
      '',
    ].join('\n'),
  )
}
