import { executionAsyncResource } from 'node:async_hooks'

let kept: Promise<object> | undefined

/**
 * Keeps one of the objects `process.nextTick` makes alive for the life of the process, so that the
 * ones it makes next keep their shape. Node makes each from an object literal whose first keys are
 * symbols; V8 starts such literals from a map it caches weakly. A mark-compact that runs while no tick
 * object is alive drops that map, the next tick objects get a new one, and after a few such
 * collections the literal's property sites give up on their cache: every `nextTick` then makes three
 * calls into V8's runtime, 4-7 times its cost (a collection-heavy process such as the BFF makes about
 * 57 per page; packages/bench/README.md). A kept object holds the map, and its cache entry, alive.
 * Resolves with the object kept.
 */
export function keepTickObjectShape(): Promise<object> {
  // While a tick's callback runs, its tick object is the execution's async resource.
  kept ??= new Promise((resolve) => process.nextTick(() => resolve(executionAsyncResource())))
  return kept
}
