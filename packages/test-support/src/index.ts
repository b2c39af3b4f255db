export { freePort, repoRoot } from '@shop/local-runtime'
export {
  baseEnv,
  startApp,
  startService,
  waitForReady,
  type StartAppOptions,
  type StartedApp,
} from './apps.js'
export {
  mongoUri,
  startDisposableDatabase,
  testDatabase,
  uniqueDatabaseName,
  type DisposableDatabase,
  type TestDatabase,
} from './database.js'
export { startProcess, stopAllProcesses, type StartedProcess, type StartProcessOptions } from './process.js'
export { startOtlpCapture, type CapturedSpan, type OtlpCapture } from './otlp-capture.js'
export { startStack, type Stack, type StackOptions } from './stack.js'
export { startFaultProxy, type FaultProxy } from './fault-proxy.js'
export {
  startDatabaseFaultProxy,
  type CommandFault,
  type CommandMatch,
  type DatabaseFaultProxy,
} from './database-fault-proxy.js'
export { callJson, expectProblem, type JsonAnswer, type JsonRequest } from './http.js'
export { startWeightedRouter, type WeightedRouter } from './weighted-router.js'
export { forwardTo } from './forward.js'
