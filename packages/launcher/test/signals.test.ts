// `npm start` as real processes: the launcher, an embedded FerretDB (FERRETDB_BIN) and the seven apps on
// their fixed ports. Checks that each way the launcher can be told to go (or left alone) stops them all.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, describe, expect, it } from 'vitest'
import { APP_NAMES, APPS } from '@shop/contracts'

const launcher = fileURLToPath(new URL('../dist/start.js', import.meta.url))
const dataDir = mkdtempSync(join(tmpdir(), 'launcher-test-'))
const ports = APP_NAMES.map((name) => APPS[name].port)
const seen = new Set<number>()

interface Started {
  parent: ChildProcess
  launcherPid: number
  output: string[]
}

/**
 * Starts the launcher under a parent that stands for npm (spawns it, forwards nothing), and resolves
 * once the shop says it is ready.
 */
async function startShop(): Promise<Started> {
  // No MONGODB_URI: the launcher starts its own FerretDB.
  const { MONGODB_URI: _unused, ...env } = process.env
  const parent = spawn(
    process.execPath,
    [
      '-e',
      `const c = require('node:child_process').spawn(process.execPath, process.argv.slice(1), { stdio: 'inherit' });
       console.log('launcher pid ' + c.pid); c.on('exit', (code) => process.exit(code ?? 1))`,
      launcher,
      `--data-dir=${dataDir}`,
    ],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  const output: string[] = []
  for (const stream of [parent.stdout!, parent.stderr!])
    stream.on('data', (chunk) => output.push(String(chunk)))
  const deadline = Date.now() + 240_000
  while (!output.join('').includes('The shop is ready')) {
    if (parent.exitCode !== null || Date.now() > deadline) throw new Error(`no start:\n${output.join('')}`)
    await sleep(250)
  }
  const launcherPid = Number(/launcher pid (\d+)/.exec(output.join(''))![1])
  for (const pid of [launcherPid, ...descendants(launcherPid)]) seen.add(pid)
  return { parent, launcherPid, output }
}

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
  } catch {
    return undefined
  }
}

function descendants(root: number): number[] {
  const pids = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
  const found = [root]
  for (let added = true; added;) {
    added = false
    for (const pid of pids)
      if (!found.includes(pid) && found.includes(parentOf(pid) ?? -1)) {
        found.push(pid)
        added = true
      }
  }
  return found.slice(1)
}

function alive(pid: number): boolean {
  try {
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ')
  } catch {
    return false
  }
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}

async function waitUntilGone(pids: number[], timeoutMs = 30_000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs
  while (pids.some(alive) && Date.now() < deadline) await sleep(200)
  return pids.filter(alive)
}

afterAll(() => {
  for (const pid of seen) if (alive(pid)) process.kill(pid, 'SIGKILL')
  rmSync(dataDir, { recursive: true, force: true })
})

describe('stopping npm start', () => {
  it('SIGHUP to the launcher stops FerretDB and all seven apps and frees the ports', async () => {
    const shop = await startShop()
    const children = descendants(shop.launcherPid)
    // FerretDB and the seven apps.
    expect(children.length).toBeGreaterThanOrEqual(8)

    process.kill(shop.launcherPid, 'SIGHUP')
    expect(await waitUntilGone([shop.launcherPid, ...children])).toEqual([])
    for (const port of ports) expect(await isFree(port)).toBe(true)
  }, 300_000)

  it('stops everything when its parent (npm) dies, and a restart stops the FerretDB an earlier run left', async () => {
    // A launcher killed outright leaves its FerretDB on the data folder: the next start stops it.
    const first = await startShop()
    const ferretdb = Number(readFileSync(join(dataDir, 'ferretdb', 'ferretdb.pid'), 'utf8'))
    const apps = descendants(first.launcherPid).filter((pid) => pid !== ferretdb)
    process.kill(first.launcherPid, 'SIGKILL')
    for (const pid of apps) process.kill(pid, 'SIGKILL')
    expect(await waitUntilGone(apps)).toEqual([])
    expect(alive(ferretdb)).toBe(true)

    const second = await startShop()
    expect(second.output.join('')).toContain(`Stopping the FerretDB (pid ${ferretdb})`)
    expect(alive(ferretdb)).toBe(false)

    // npm forwards only SIGINT and SIGTERM; on SIGHUP (a closed terminal) or SIGKILL it is just gone.
    const children = descendants(second.launcherPid)
    expect(children.length).toBeGreaterThanOrEqual(8)
    second.parent.kill('SIGKILL')
    expect(await waitUntilGone([second.launcherPid, ...children])).toEqual([])
    for (const port of ports) expect(await isFree(port)).toBe(true)
  }, 600_000)
})
