export { Type, type Static } from '@shop/contracts/typebox'
export {
  appConfigProperties,
  ConfigError,
  databaseConfigProperties,
  loadConfig,
  type LoadConfigOptions,
  serviceConfigProperties,
  upstreamTimeoutProperty,
} from './config.js'
export { headerValue } from './headers.js'
export {
  Database,
  databaseSettings,
  ensureIndexes,
  isDuplicateKeyError,
  type DatabaseSettings,
  type SetupTask,
} from './database.js'
export { base32Of, CROCKFORD_BASE32, randomBase32 } from './ids.js'
export { problemResponses, sendProblem } from './plugins/problems.js'
export { FAULT_HEADER, parseFaultRules, type FaultRule } from './plugins/faults.js'
export { PROBLEM_CONTENT_TYPE, ProblemError, ProblemSchema, problemType, type Problem } from './problem.js'
export { Readiness, type ReadinessCheck } from './readiness.js'
export { runService } from './run.js'
export { keepTickObjectShape } from './tick-shape.js'
export { createService, type ServiceApp, type ServiceOptions, type ServiceRuntimeConfig } from './service.js'
export { OneAtATime } from './one-at-a-time.js'
export { repeatWhileUp, type RepeatOptions } from './repeat.js'
