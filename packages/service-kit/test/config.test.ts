import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import {
  ConfigError,
  loadConfig,
  serviceConfigProperties,
  databaseConfigProperties,
  Type,
} from '@shop/service-kit'
import { baseEnv, startProcess } from '@shop/test-support'

const Schema = Type.Object({ ...serviceConfigProperties({ port: 3001 }), ...databaseConfigProperties })

describe('configuration', () => {
  it('applies defaults and converts types', () => {
    const config = loadConfig(Schema, { PORT: '8080', MONGODB_HOST: 'mongodb' })
    expect(config).toMatchObject({ PORT: 8080, HOST: '0.0.0.0', SERVICE_VERSION: 'v1', MONGODB_PORT: 27017 })
  })

  it.each([
    [{ PORT: 'abc' }, /^Invalid configuration: PORT must be integer \(got "abc"\)$/],
    [{ PORT: '70000' }, /^Invalid configuration: PORT must be <= 65535/],
    [
      { SERVICE_VERSION: 'v3' },
      /^Invalid configuration: SERVICE_VERSION must be one of v1, v2 \(got "v3"\)$/,
    ],
    [
      { MONGODB_URI: 'postgres://user:pw@x' },
      /^Invalid configuration: MONGODB_URI must match .*\(got a value\)$/,
    ],
  ])('rejects %o with one line naming the variable', (env, message) => {
    expect(() => loadConfig(Schema, env)).toThrow(ConfigError)
    expect(() => loadConfig(Schema, env)).toThrow(message)
  })

  it('stops the process with that line and exit code 1', async () => {
    const started = startProcess({
      command: process.execPath,
      args: [
        '--import',
        '@shop/tracing/register',
        fileURLToPath(new URL('fixtures/demo-service.mjs', import.meta.url)),
      ],
      env: { ...baseEnv(), SHUTDOWN_TIMEOUT_MS: 'soon' },
    })
    expect(await started.exited).toBe(1)
    expect(started.output).toEqual([
      'Invalid configuration: SHUTDOWN_TIMEOUT_MS must be integer (got "soon")',
    ])
  })
})
