import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { youngGenerationOf } from '@shop/contracts'
import { heapFlags, IMAGE_ENV } from '@shop/local-runtime'
import { freePort, mongoUri, uniqueDatabaseName, waitForReady } from '@shop/test-support'
import { docker, engineAvailable, engineRequired, run, shopImages, type ShopImage } from './docker.js'

const images = shopImages()
/** Kubernetes' terminationGracePeriodSeconds in k8s/base. */
const GRACE_SECONDS = 30
/** The images compose and Kubernetes run without a database: the UI, the load generator, the faulty v2. */
const withoutDatabase = new Set(['ecommerce-ui:v1', 'loadgen:v1', 'order-management:v2'])

interface Inspected {
  Config: { User: string; Env: string[] }
  State: { Pid: number; Running: boolean; ExitCode: number; OOMKilled: boolean }
}

const inspect = async (id: string) => (JSON.parse(await run(docker, ['inspect', id])) as Inspected[])[0]!

/** The user id the container's main process really runs as, read from the host's /proc. */
function uidOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((text) => text.startsWith('Uid:'))!
  return Number(line.split(/\s+/)[1])
}

const started: string[] = []
afterEach(async () => {
  for (const id of started.splice(0)) await run(docker, ['rm', '-f', '-v', id]).catch(() => undefined)
})

async function runImage(image: ShopImage): Promise<{ id: string; url: string }> {
  const port = await freePort()
  const env: Record<string, string> = {
    PORT: String(port),
    HOST: '127.0.0.1',
    OTEL_TRACES_EXPORTER: 'none',
    // The load generator drives a shop that is not there: it must still start and stop cleanly.
    TARGET_URL: 'http://127.0.0.1:9',
  }
  if (!withoutDatabase.has(image.tag)) {
    env.MONGODB_URI = await mongoUri()
    env.MONGODB_DATABASE = uniqueDatabaseName(`image_${image.app.replaceAll('-', '_')}`)
  }
  const id = await run(docker, [
    'run',
    '--detach',
    '--network=host',
    '--read-only',
    '--cap-drop=ALL',
    '--security-opt=no-new-privileges',
    `--name=shop-image-test-${image.app}-${image.version}-${randomBytes(3).toString('hex')}`,
    ...Object.entries(env).flatMap(([name, value]) => ['--env', `${name}=${value}`]),
    image.tag,
  ])
  started.push(id)
  return { id, url: `http://127.0.0.1:${port}` }
}

/** The extra certificates of this machine's CA bundle (a TLS-inspecting proxy's) as PEM body lines. */
function pemBodies(pem: string): string[] {
  return [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((match) =>
    match[1]!.replace(/\s+/g, ''),
  )
}

/** Whether any of the strings occurs anywhere in `docker save` of the images (every layer, every file). */
async function savedImagesContain(tags: string[], needles: string[]): Promise<string[]> {
  const found = new Set<string>()
  const longest = Math.max(...needles.map((needle) => needle.length))
  const save = spawn(docker, ['save', ...tags], { stdio: ['ignore', 'pipe', 'inherit'] })
  let tail = ''
  for await (const chunk of save.stdout as AsyncIterable<Buffer>) {
    const text = tail + chunk.toString('latin1')
    for (const needle of needles) if (text.includes(needle)) found.add(needle)
    tail = text.slice(-longest)
  }
  const code = await new Promise((resolve) => save.once('close', resolve))
  expect(code).toBe(0)
  return [...found]
}

describe.skipIf(!engineAvailable && !engineRequired)('the shop images on a real Docker engine', () => {
  it('has an engine to run them on (under CI a missing engine fails)', () => {
    expect(engineAvailable, `no Docker engine answers ${docker} info`).toBe(true)
  })

  it('has all ten images `npm run images` builds', async () => {
    expect(images.map((image) => image.tag)).toHaveLength(10)
    for (const image of images)
      await expect(
        run(docker, ['image', 'inspect', image.tag]),
        `${image.tag}: run npm run images`,
      ).resolves.toBeTruthy()
  })

  // `npm start`, the tests and the bench start apps with heapFlags and IMAGE_ENV: what they measure is
  // what the images run.
  it('starts every app with the heap flags and environment that local starts use', async () => {
    for (const image of images) {
      const [{ Config }] = JSON.parse(await run(docker, ['image', 'inspect', image.tag])) as [
        { Config: { Cmd: string[]; Env: string[] } },
      ]
      const [youngGeneration, ...flags] = heapFlags(youngGenerationOf(image.app))
      expect(Config.Env, image.tag).toContain(`NODE_OPTIONS=${youngGeneration}`)
      for (const [name, value] of Object.entries(IMAGE_ENV))
        expect(Config.Env, image.tag).toContain(`${name}=${value}`)
      expect(Config.Cmd.slice(1, 1 + flags.length), image.tag).toEqual(flags)
    }
  })

  it.each(images.map((image) => [image.tag, image] as const))(
    '%s runs unprivileged on a read-only root, gets ready, names its version and stops on SIGTERM with 0',
    async (_tag, image) => {
      const { id, url } = await runImage(image)
      await waitForReady(url, 45_000).catch(async (error: unknown) => {
        throw new Error(`${String(error)}\n${await run(docker, ['logs', id]).catch(String)}`)
      })
      const running = await inspect(id)
      expect(running.Config.User).toBe('10001:10001')
      expect(uidOf(running.State.Pid)).toBe(10001)

      const ready = await fetch(`${url}/readyz`)
      expect(ready.status).toBe(200)
      expect(ready.headers.get('x-served-by')).toBe(`${image.app}/${image.version}`)

      const stopping = Date.now()
      await run(docker, ['stop', `--time=${GRACE_SECONDS}`, id], { timeoutMs: (GRACE_SECONDS + 15) * 1000 })
      const stopped = await inspect(id)
      expect(stopped.State.Running).toBe(false)
      expect(stopped.State.OOMKilled).toBe(false)
      expect(stopped.State.ExitCode, await run(docker, ['logs', id]).catch(String)).toBe(0)
      expect(Date.now() - stopping).toBeLessThan(GRACE_SECONDS * 1000)
    },
  )

  it("carries no CA certificate of the building machine's bundle beyond the image's own", async () => {
    const tags = images.map((image) => image.tag)
    for (const tag of tags)
      expect((await inspect(tag)).Config.Env.join('\n'), tag).not.toMatch(/NODE_EXTRA_CA_CERTS|build-ca/)

    // The image's own trust: Node's built-in roots and, when the image has one, the system bundle.
    const own = await run(docker, [
      'run',
      '--rm',
      '--network=none',
      tags[0]!,
      'node',
      '-e',
      `const fs = require('node:fs'), tls = require('node:tls');
       const file = '/etc/ssl/certs/ca-certificates.crt';
       process.stdout.write(tls.rootCertificates.join('\\n') + (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : ''))`,
    ])
    const ownBodies = new Set(pemBodies(own))
    const machineBundle = readFileSync('/etc/ssl/certs/ca-certificates.crt', 'utf8')
    const extra = pemBodies(machineBundle).filter((body) => !ownBodies.has(body))
    // A 64-character stretch from inside each certificate: present in a PEM file or a base64 string of it.
    const needles = extra.map((body) => body.slice(128, 192))
    if (needles.length === 0) return // this machine trusts nothing the image does not

    expect(await savedImagesContain(tags, needles)).toEqual([])
    // The same search finds them in the build stages' base, which does trust the machine's bundle.
    const buildBase = await run(docker, ['image', 'inspect', 'shop-build-base:latest']).catch(() => '')
    if (buildBase)
      expect((await savedImagesContain(['shop-build-base:latest'], needles)).sort()).toEqual(needles.sort())
  }, 180_000)
})
