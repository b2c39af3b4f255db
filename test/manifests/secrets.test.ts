// The create-secrets Job's script, run for real against a stand-in for the Kubernetes API: it makes
// every Secret the manifests refer to, with usable values, and never touches one that exists.
import { createPublicKey, createPrivateKey } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { buildWith, COMPONENTS } from './lib/kustomize.js'
import { runCreateSecrets, startFakeApiServer, type FakeApiServer } from './lib/secrets.js'
import { podSpecs } from './lib/workloads.js'

let server: FakeApiServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

describe('create-secrets', () => {
  it('creates every Secret key the workloads refer to, and nothing else is needed', async () => {
    server = await startFakeApiServer()
    await runCreateSecrets(server.url)
    const refs = podSpecs(buildWith(COMPONENTS)).flatMap(({ pod }) =>
      pod.containers.flatMap((c) =>
        (c.env ?? []).flatMap((e) => (e.valueFrom?.secretKeyRef ? [e.valueFrom.secretKeyRef] : [])),
      ),
    )
    expect(refs.length).toBeGreaterThan(5)
    for (const { name, key } of refs)
      expect(server.secrets.get(name ?? '')?.stringData[key], `${name}/${key}`).toBeTruthy()
  })

  it('makes working values: a MongoDB URI with the same credentials MongoDB starts with, and an RSA key', async () => {
    server = await startFakeApiServer()
    const { stdout } = await runCreateSecrets(server.url, 'shop-test')
    expect(stdout).toMatch(/created mongodb-credentials/)
    expect(server.requests.every((r) => r.authorization === 'Bearer test-token')).toBe(true)

    const mongodb = server.secrets.get('mongodb-credentials')!
    expect(mongodb.namespace).toBe('shop-test')
    const {
      MONGO_INITDB_ROOT_USERNAME: user,
      MONGO_INITDB_ROOT_PASSWORD: password,
      MONGODB_URI: uri,
    } = mongodb.stringData
    expect(password!.length).toBeGreaterThanOrEqual(32)
    const parsed = new URL(uri!)
    expect([parsed.protocol, parsed.username, parsed.password, parsed.host]).toEqual([
      'mongodb:',
      user,
      password,
      'mongodb.shop-test.svc.cluster.local:27017',
    ])
    expect(parsed.searchParams.get('authSource')).toBe('admin')

    const pem = server.secrets.get('profile-management-jwt')!.stringData.JWT_PRIVATE_KEY!
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/)
    const key = createPrivateKey(pem)
    expect([key.asymmetricKeyType, key.asymmetricKeyDetails?.modulusLength]).toEqual(['rsa', 2048])
    expect(createPublicKey(key).type).toBe('public')
  })

  it('makes different values on every cluster', async () => {
    server = await startFakeApiServer()
    await runCreateSecrets(server.url)
    const first = structuredClone([...server.secrets.values()])
    await server.close()
    server = await startFakeApiServer()
    await runCreateSecrets(server.url)
    for (const secret of first)
      for (const [key, value] of Object.entries(secret.stringData))
        if (key !== 'MONGO_INITDB_ROOT_USERNAME')
          expect(server.secrets.get(secret.name)!.stringData[key], key).not.toBe(value)
  })

  it('leaves existing Secrets alone, so applying again never rotates a password and your own Secrets win', async () => {
    const yours = {
      name: 'mongodb-credentials',
      namespace: 'ecommerce',
      labels: {},
      stringData: { MONGODB_URI: 'mongodb://mine' },
    }
    server = await startFakeApiServer([yours])
    const { stdout } = await runCreateSecrets(server.url)
    expect(stdout).toMatch(/mongodb-credentials already exists: left unchanged/)
    expect(stdout).toMatch(/created profile-management-jwt/)
    expect(server.secrets.get('mongodb-credentials')).toBe(yours)
    const again = await runCreateSecrets(server.url)
    expect(again.stdout).toMatch(/profile-management-jwt already exists/)
  })

  it('fails, so the Job retries, when the API refuses', async () => {
    server = await startFakeApiServer()
    await expect(runCreateSecrets(`${server.url}/refused`)).rejects.toThrow(/answered 403/)
  })
})
