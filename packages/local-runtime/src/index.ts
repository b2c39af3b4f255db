export {
  appScript,
  environment,
  heapFlags,
  IMAGE_ENV,
  repoRoot,
  spawnService,
  stopProcessGroup,
  waitForReady,
  type SpawnServiceOptions,
  type WaitForReadyOptions,
} from './apps.js'
export {
  cachedFerretDbPath,
  ferretDbArgs,
  ferretDbVersion,
  startFerretDb,
  type RunningFerretDb,
} from './ferretdb.js'
export { startEmbeddedMongo, type EmbeddedMongo } from './mongodb.js'
export { accepts, freePort, isFree, portsInUse, waitForPort } from './ports.js'
