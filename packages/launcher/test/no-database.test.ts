import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, expect, it } from 'vitest'

const launcher = fileURLToPath(new URL('../dist/start.js', import.meta.url))
const home = mkdtempSync(join(tmpdir(), 'launcher-no-database-'))

afterAll(() => rmSync(home, { recursive: true, force: true }))

it('says in one line what to set when there is no database, no Go and no MongoDB download', async () => {
  const child = spawn(process.execPath, [launcher, `--data-dir=${join(home, 'data')}`], {
    env: {
      // Only Node on PATH: no go. No FerretDB in the cache, and a MongoDB download that cannot succeed.
      PATH: dirname(process.execPath),
      HOME: home,
      SHOP_CI_CACHE: join(home, 'cache'),
      MONGOMS_DOWNLOAD_DIR: join(home, 'mongodb-binaries'),
      MONGOMS_DOWNLOAD_URL: 'http://127.0.0.1:9/mongodb.tgz',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => (stdout += String(chunk)))
  child.stderr.on('data', (chunk) => (stderr += String(chunk)))
  const code = await new Promise((resolve) => child.once('exit', resolve))

  expect(code).toBe(1)
  expect(stdout).toBe('')
  const lines = stderr.trimEnd().split('\n')
  expect(lines).toHaveLength(1)
  expect(lines[0]).toMatch(
    /^No database \(no FerretDB binary, and no MongoDB download: .*\): set MONGODB_URI=/,
  )
})
