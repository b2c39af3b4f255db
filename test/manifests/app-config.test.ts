// Every variable a Deployment sets is one its app knows, with a value the app accepts: each app's
// own ConfigSchema and loader (apps/<app>/dist/config.js) judge the environment the manifests give it,
// with the Secrets as the create-secrets Job makes them.
import { APP_NAMES, APPS, callsOf, clusterUrlOf, SERVICE_NAMES } from '@shop/contracts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appConfig, appDirOfImage, TRACING_VARIABLES } from './lib/apps.js'
import { buildWith, COMPONENTS } from './lib/kustomize.js'
import { nameOf } from './lib/objects.js'
import { runCreateSecrets, startFakeApiServer, type FakeApiServer } from './lib/secrets.js'
import { podSpecs, type Container } from './lib/workloads.js'

const deployments = podSpecs(buildWith(COMPONENTS)).filter(({ object }) => object.kind === 'Deployment')
let apiServer: FakeApiServer

beforeAll(async () => {
  apiServer = await startFakeApiServer()
  await runCreateSecrets(apiServer.url)
})
afterAll(() => apiServer?.close())

/** The container's environment as the kubelet would give it: literals, and Secret keys resolved. */
function environment(container: Container): Record<string, string> {
  return Object.fromEntries(
    (container.env ?? []).map((variable) => {
      const ref = variable.valueFrom?.secretKeyRef
      if (!ref) return [variable.name, variable.value ?? '']
      const value = apiServer.secrets.get(ref.name ?? '')?.stringData[ref.key]
      if (value === undefined) throw new Error(`${variable.name}: Secret ${ref.name} has no key ${ref.key}`)
      return [variable.name, value]
    }),
  )
}

describe.each(deployments.map((d) => [nameOf(d.object), d] as const))('%s', (_, { pod }) => {
  const container = pod.containers[0]!
  const appDir = appDirOfImage(container.image ?? '')

  it(`sets only variables ${appDir} knows, to values it accepts`, async () => {
    const { ConfigSchema, load } = await appConfig(appDir)
    const env = environment(container)
    const unknown = Object.keys(env).filter(
      (name) => !(name in ConfigSchema.properties) && !TRACING_VARIABLES.includes(name),
    )
    expect(unknown, `variables ${appDir}'s ConfigSchema does not declare`).toEqual([])
    expect(() => load(env)).not.toThrow()
  })

  it('exposes the port the app listens on', async () => {
    const { ConfigSchema, load } = await appConfig(appDir)
    if ('PORT' in ConfigSchema.properties) {
      const { PORT } = load(environment(container)) as { PORT: number }
      expect(container.ports?.map((p) => p.containerPort)).toEqual([PORT])
    } else {
      expect(container.ports ?? [], 'an app without PORT serves nothing').toEqual([])
    }
  })
})

describe('who calls whom, as the app registry says (packages/contracts/src/apps.ts)', () => {
  it.each(APP_NAMES)(
    '%s reads a URL variable for exactly the services it calls, each defaulting to its in-cluster URL',
    async (name) => {
      const { ConfigSchema } = await appConfig(`apps/${name}`)
      const defaults = Object.fromEntries(
        SERVICE_NAMES.map((service) => APPS[service].urlVariable)
          .filter((variable) => variable in ConfigSchema.properties)
          .map((variable) => [
            variable,
            (ConfigSchema.properties[variable] as { default?: unknown }).default,
          ]),
      )
      expect(defaults).toEqual(
        Object.fromEntries(
          callsOf(name).map((service) => [APPS[service].urlVariable, clusterUrlOf(service)]),
        ),
      )
    },
  )
})
