import { LOADGEN } from '@shop/contracts'
import { loadConfig, serviceConfigProperties } from '@shop/service-kit'
import { Type, type Static } from '@shop/contracts/typebox'

/** How hard and how long to load the shop. Every setting is also a flag of the command line (see cli.ts). */
export const LoadSettingsSchema = Type.Object({
  TARGET_URL: Type.String({ pattern: '^https?://[^\\s]+[^/\\s]$', default: 'http://localhost:4000' }),
  USERS: Type.Integer({ minimum: 1, maximum: 1000, default: 10, description: 'Virtual users' }),
  DURATION: Type.String({
    pattern: '^\\d+(s|m|h)?$',
    default: '60s',
    description: 'How long to run: 90, 90s, 5m, 1h; 0 runs until stopped',
  }),
  RAMP_UP_SECONDS: Type.Integer({ minimum: 0, maximum: 3600, default: 5 }),
  THINK_TIME_MS: Type.Integer({
    minimum: 0,
    maximum: 60_000,
    default: 500,
    description: 'Pause between steps (±50%)',
  }),
  MAX_ERROR_RATE: Type.Number({
    minimum: 0,
    maximum: 1,
    default: 0.01,
    description: 'Exit 1 above this error rate',
  }),
  REPORT_INTERVAL_SECONDS: Type.Integer({ minimum: 1, maximum: 3600, default: 5 }),
  REQUEST_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 120_000, default: 10_000 }),
})
export type LoadSettings = Static<typeof LoadSettingsSchema>

/** The service mode (a Deployment in Kubernetes, a compose profile) adds the kit's settings. */
export const ConfigSchema = Type.Object({
  ...serviceConfigProperties(LOADGEN),
  ...LoadSettingsSchema.properties,
  /** Expectations as the command line's --expect takes them, separated by spaces; /api/stats checks them. */
  EXPECT: Type.Optional(Type.String()),
  TOLERANCE: Type.Number({ exclusiveMinimum: 0, maximum: 50, default: 5 }),
})
export type Config = Static<typeof ConfigSchema>

export function loadAppConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return loadConfig(ConfigSchema, { DURATION: '0', ...env })
}

export function loadSettings(env: NodeJS.ProcessEnv = process.env): LoadSettings {
  return loadConfig(LoadSettingsSchema, env)
}

/** Seconds in a DURATION value; 0 means no end. */
export function durationSeconds(duration: string): number {
  const [, amount, unit] = /^(\d+)(s|m|h)?$/.exec(duration)!
  return Number(amount) * (unit === 'h' ? 3600 : unit === 'm' ? 60 : 1)
}
