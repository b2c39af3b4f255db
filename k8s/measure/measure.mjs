#!/usr/bin/env node
// Measures what each app needs, to set the Kubernetes resource requests and limits from numbers
// rather than guesses (see k8s/README.md, "Resource figures").
//
//   node k8s/measure/measure.mjs                      every app whose dist/ is built
//   node k8s/measure/measure.mjs product-catalog      just these
//   DURATION_S=20 CONCURRENCY=8 node k8s/measure/measure.mjs
//
// For each app it starts the app exactly as the image does (`node --import @shop/tracing/register
// dist/server.js` in the app's folder), plus the services it calls, waits until /readyz answers 200,
// samples the app's process for IDLE_S seconds with no traffic, then runs CONCURRENCY fetch loops
// against it for DURATION_S seconds. RSS comes from /proc/<pid>/status (VmRSS, VmHWM), CPU from
// /proc/<pid>/stat (utime + stime), sampled every second. Only the measured app's process is counted,
// not its dependencies nor this load generator. Needs MongoDB or FerretDB at MONGODB_URI
// (default mongodb://127.0.0.1:27017/) for the apps that store data; each run uses fresh databases.
import { spawn, execFileSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'

const repo = fileURLToPath(new URL('../../', import.meta.url))
const DURATION_S = Number(process.env.DURATION_S ?? 20)
const IDLE_S = Number(process.env.IDLE_S ?? 5)
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 8)
const MONGODB_URI = process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017/'
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim())
const runId = randomUUID().slice(0, 8)

const json = (body) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
})
const bearer = (token, init = {}) => ({
  ...init,
  headers: { ...init.headers, authorization: `Bearer ${token}` },
})

/** Signs a fresh user up at profile-management and answers its token. */
async function signUp(profileUrl) {
  const email = `measure-${randomUUID()}@example.com`
  const response = await fetch(
    `${profileUrl}/api/auth/signup`,
    json({ email, password: 'measure-password', firstName: 'Measure', lastName: 'Load' }),
  )
  if (!response.ok) throw new Error(`sign-up answered ${response.status}: ${await response.text()}`)
  return { email, token: (await response.json()).token }
}

async function productIds(catalogUrl) {
  const response = await fetch(`${catalogUrl}/api/products?pageSize=100`)
  return (await response.json()).items.map((product) => product.id)
}

const pick = (items) => items[Math.floor(Math.random() * items.length)]

/**
 * What each app is driven with: the requests a shop page makes of it, in the mix the journeys in
 * docs/architecture.md#6-the-user-journeys make them. `needs` are started first and passed as
 * upstream URLs.
 */
const scenarios = {
  'product-catalog': {
    env: {},
    async requests(url) {
      const ids = await productIds(url)
      return [
        () => fetch(`${url}/api/products`),
        () =>
          fetch(`${url}/api/products?category=${pick(['audio', 'home', 'books', 'fitness'])}&sort=price-asc`),
        () => fetch(`${url}/api/products/${pick(ids)}`),
        () => fetch(`${url}/api/categories`),
      ]
    },
  },
  'product-catalog (v2)': {
    app: 'product-catalog',
    env: { SERVICE_VERSION: 'v2', MONGODB_URI },
    async requests(url) {
      const ids = await productIds(url)
      return [
        () => fetch(`${url}/api/products?sort=rating`),
        () => fetch(`${url}/api/products?category=${pick(['audio', 'home', 'books', 'fitness'])}`),
        () => fetch(`${url}/api/products/${pick(ids)}`),
        () => fetch(`${url}/api/categories`),
      ]
    },
  },
  'product-inventory': {
    env: { MONGODB_URI },
    needs: ['product-catalog'],
    async requests(url, upstream) {
      const ids = await productIds(upstream['product-catalog'])
      return [
        () => fetch(`${url}/api/inventory`),
        () => fetch(`${url}/api/inventory/${pick(ids)}`),
        async () => {
          const orderId = `measure-${randomUUID()}`
          const reserved = await fetch(
            `${url}/api/reservations`,
            json({ orderId, items: [{ productId: pick(ids), quantity: 1 }] }),
          )
          await reserved.arrayBuffer()
          return fetch(`${url}/api/reservations/${orderId}`, { method: 'DELETE' })
        },
      ]
    },
  },
  'profile-management': {
    env: { MONGODB_URI, AUTH_ATTEMPTS_PER_CLIENT_PER_MINUTE: '100000', SIGNIN_FAILURES_PER_EMAIL: '1000' },
    async requests(url) {
      const user = await signUp(url)
      return [
        () => fetch(`${url}/.well-known/jwks.json`),
        () => fetch(`${url}/api/profile`, bearer(user.token)),
        // Sign-in runs the memory-hard password hash: the expensive call, one in four here.
        () => fetch(`${url}/api/auth/signin`, json({ email: user.email, password: 'measure-password' })),
        () => fetch(`${url}/api/profile`, bearer(user.token)),
      ]
    },
  },
  'order-management': {
    env: { MONGODB_URI },
    needs: ['product-catalog', 'profile-management', 'shipping-and-handling'],
    async requests(url, upstream) {
      const ids = await productIds(upstream['product-catalog'])
      const users = await Promise.all(
        Array.from({ length: CONCURRENCY }, () => signUp(upstream['profile-management'])),
      )
      const put = (token) =>
        fetch(`${url}/api/cart/items/${pick(ids)}`, {
          ...bearer(token, json({ quantity: 1 + Math.floor(Math.random() * 3) })),
          method: 'PUT',
        })
      return [
        () => fetch(`${url}/api/cart`, bearer(pick(users).token)),
        () => put(pick(users).token),
        () =>
          fetch(
            `${url}/api/cart/quote?shippingMethod=standard&country=US&postalCode=94105`,
            bearer(pick(users).token),
          ),
        () => fetch(`${url}/api/orders`, bearer(pick(users).token)),
      ]
    },
  },
  'shipping-and-handling': {
    env: { MONGODB_URI },
    async requests(url) {
      const quote = {
        items: [{ productId: 'p-measure', quantity: 2, weightGrams: 1200, category: 'home' }],
        destination: { country: 'US', postalCode: '94105' },
      }
      return [
        () => fetch(`${url}/api/shipping/methods`),
        () => fetch(`${url}/api/shipping/policy`),
        () => fetch(`${url}/api/shipping/quote`, json(quote)),
        () => fetch(`${url}/api/shipping/quote`, json({ ...quote, method: 'express' })),
      ]
    },
  },
  'contact-support-team': {
    env: { MONGODB_URI, TICKET_RATE_LIMIT_MAX: '10000' },
    needs: ['profile-management'],
    async requests(url) {
      return [
        () => fetch(`${url}/api/support/info`),
        () => fetch(`${url}/api/support/info`),
        () =>
          fetch(
            `${url}/api/tickets`,
            json({
              name: 'Measure Load',
              email: 'measure@example.com',
              subject: 'Where is my parcel?',
              message: 'It was due yesterday and has not arrived yet.',
            }),
          ),
      ]
    },
  },
  'ecommerce-ui': {
    env: {},
    needs: [
      'product-catalog',
      'product-inventory',
      'profile-management',
      'shipping-and-handling',
      'contact-support-team',
      'order-management',
    ],
    async requests(url, upstream) {
      const ids = await productIds(upstream['product-catalog'])
      return [
        () => fetch(`${url}/`),
        () => fetch(`${url}/api/products`),
        () => fetch(`${url}/api/products/${pick(ids)}`),
        () => fetch(`${url}/api/shipping/methods`),
      ]
    },
  },
  // The load generator measured while it drives the whole shop through the BFF with 10 shoppers; the
  // fetch loops only read its own /api/stats.
  loadgen: {
    env: { USERS: '10', RAMP_UP_SECONDS: '0', THINK_TIME_MS: '200', DURATION: '0', MAX_ERROR_RATE: '1' },
    needs: [
      'product-catalog',
      'product-inventory',
      'profile-management',
      'shipping-and-handling',
      'contact-support-team',
      'order-management',
      'ecommerce-ui',
    ],
    async requests(url) {
      return [() => fetch(`${url}/api/stats`)]
    },
  },
}

/** The upstream URL variable each app reads for a service (docs/architecture.md#2-configuration). */
const URL_VARIABLE = {
  'ecommerce-ui': 'TARGET_URL',
  'product-catalog': 'PRODUCT_CATALOG_URL',
  'product-inventory': 'PRODUCT_INVENTORY_URL',
  'profile-management': 'PROFILE_MANAGEMENT_URL',
  'order-management': 'ORDER_MANAGEMENT_URL',
  'shipping-and-handling': 'SHIPPING_AND_HANDLING_URL',
  'contact-support-team': 'CONTACT_SUPPORT_TEAM_URL',
}

/** Default settings of a dependency started only so that the measured app can call it. */
const DEPENDENCY_ENV = {
  'product-catalog': {},
  'product-inventory': { MONGODB_URI },
  'profile-management': { MONGODB_URI, AUTH_ATTEMPTS_PER_CLIENT_PER_MINUTE: '100000' },
  'shipping-and-handling': { MONGODB_URI },
  'contact-support-team': { MONGODB_URI },
  'order-management': { MONGODB_URI },
  'ecommerce-ui': {},
}

const started = []

function startApp(app, env) {
  const dir = `${repo}apps/${app}`
  const child = spawn(process.execPath, ['--import', '@shop/tracing/register', 'dist/server.js'], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'warn',
      MONGODB_DATABASE: `measure_${app.replaceAll('-', '_')}_${runId}`,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  started.push(child)
  const output = []
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${app} did not start:\n${output.join('\n')}`)), 30_000)
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        if (output.length < 50) output.push(line)
        // The listening line is logged at info; with LOG_LEVEL=warn the port comes from the socket.
      })
    }
    child.once('exit', (code) => reject(new Error(`${app} exited with ${code}:\n${output.join('\n')}`)))
    const poll = async () => {
      const port = listeningPort(child.pid)
      if (port) {
        const url = `http://127.0.0.1:${port}`
        try {
          if ((await fetch(`${url}/readyz`)).ok) {
            clearTimeout(timer)
            return resolve({ child, url })
          }
        } catch {
          // not yet
        }
      }
      setTimeout(poll, 200)
    }
    poll()
  })
}

/** The TCP port a process listens on, from /proc/net/tcp and the process's socket inodes. */
function listeningPort(pid) {
  let inodes
  try {
    inodes = new Set(
      execFileSync('ls', ['-l', `/proc/${pid}/fd`], { stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .match(/socket:\[(\d+)\]/g)
        ?.map((entry) => entry.slice(8, -1)),
    )
  } catch {
    return undefined
  }
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/)
    // state 0A is LISTEN; field 9 is the inode.
    if (fields[3] === '0A' && inodes.has(fields[9])) return parseInt(fields[1].split(':')[1], 16)
  }
  return undefined
}

function sample(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kib = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)[1])
  // Fields after the command name (which may hold spaces) start at index 2 of the rest: utime is 14, stime 15.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const ticks = Number(fields[11]) + Number(fields[12])
  return {
    rssMiB: kib('VmRSS') / 1024,
    hwmMiB: kib('VmHWM') / 1024,
    cpuSeconds: ticks / CLOCK_TICKS,
    at: Date.now(),
  }
}

/** Samples once a second for `seconds`, answering the per-second CPU (in millicores) and RSS. */
async function watch(pid, seconds) {
  const samples = [sample(pid)]
  for (let i = 0; i < seconds; i++) {
    await sleep(1000)
    samples.push(sample(pid))
  }
  const cpu = samples
    .slice(1)
    .map((s, i) => (1000 * (s.cpuSeconds - samples[i].cpuSeconds)) / ((s.at - samples[i].at) / 1000))
  return { samples, cpu }
}

async function load(requests, seconds) {
  const deadline = Date.now() + seconds * 1000
  let ok = 0
  let failed = 0
  const statuses = {}
  const loop = async () => {
    while (Date.now() < deadline) {
      try {
        const response = await pick(requests)()
        await response.arrayBuffer()
        statuses[response.status] = (statuses[response.status] ?? 0) + 1
        if (response.status < 500) ok++
        else failed++
      } catch {
        failed++
      }
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, loop))
  return { ok, failed, statuses }
}

async function measure(name) {
  const scenario = scenarios[name]
  const app = scenario.app ?? name
  // Dependencies start in the order given, each told where the ones before it are.
  const upstream = {}
  const urls = {}
  for (const dependency of scenario.needs ?? []) {
    const { url } = await startApp(dependency, { ...DEPENDENCY_ENV[dependency], ...urls })
    upstream[dependency] = url
    urls[URL_VARIABLE[dependency]] = url
  }
  const { child, url } = await startApp(app, { ...scenario.env, ...urls })
  const requests = await scenario.requests(url, upstream)
  const idle = await watch(child.pid, IDLE_S)
  const [busy, result] = await Promise.all([watch(child.pid, DURATION_S), load(requests, DURATION_S)])
  const last = busy.samples.at(-1)
  const average = (values) => values.reduce((sum, v) => sum + v, 0) / values.length
  return {
    app: name,
    idleRssMiB: round(idle.samples.at(-1).rssMiB),
    idleCpuM: round(average(idle.cpu)),
    peakRssMiB: round(Math.max(...busy.samples.map((s) => s.rssMiB))),
    hwmMiB: round(last.hwmMiB),
    loadCpuAvgM: round(average(busy.cpu)),
    loadCpuPeakM: round(Math.max(...busy.cpu)),
    requestsPerSecond: round((result.ok + result.failed) / DURATION_S),
    statuses: result.statuses,
  }
}

const round = (value) => Math.round(value)

function stopAll() {
  for (const child of started.splice(0)) child.kill('SIGTERM')
}

async function main() {
  const wanted = process.argv.slice(2)
  const names = wanted.length ? wanted : Object.keys(scenarios)
  const results = []
  for (const name of names) {
    const scenario = scenarios[name]
    if (!scenario) throw new Error(`no scenario for ${name}; known: ${Object.keys(scenarios).join(', ')}`)
    const missing = [scenario.app ?? name, ...(scenario.needs ?? [])].filter(
      (app) => !existsSync(`${repo}apps/${app}/dist/server.js`),
    )
    if (missing.length) {
      process.stderr.write(`skipping ${name}: not built (${missing.join(', ')})\n`)
      continue
    }
    try {
      const result = await measure(name)
      results.push(result)
      process.stdout.write(`${JSON.stringify(result)}\n`)
    } finally {
      stopAll()
      await sleep(500)
    }
  }
  process.stdout.write(
    `\n${CONCURRENCY} loops for ${DURATION_S}s, ${IDLE_S}s idle; CPU in millicores, memory in MiB\n` +
      'app                         idle RSS  peak RSS  VmHWM  idle CPU  load CPU avg  load CPU peak  req/s\n',
  )
  for (const r of results)
    process.stdout.write(
      `${r.app.padEnd(28)}${String(r.idleRssMiB).padStart(8)}${String(r.peakRssMiB).padStart(10)}` +
        `${String(r.hwmMiB).padStart(7)}${String(r.idleCpuM).padStart(10)}${String(r.loadCpuAvgM).padStart(14)}` +
        `${String(r.loadCpuPeakM).padStart(15)}${String(r.requestsPerSecond).padStart(7)}\n`,
    )
}

process.on('SIGINT', () => {
  stopAll()
  process.exit(130)
})
main().catch((error) => {
  stopAll()
  process.stderr.write(`${error.stack ?? error}\n`)
  process.exit(1)
})
