import { executionAsyncResource } from 'node:async_hooks'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import { keepTickObjectShape } from '../src/tick-shape.js'

setFlagsFromString('--expose-gc')
setFlagsFromString('--allow-natives-syntax')
const collectGarbage = runInNewContext('gc') as () => void
// Compiled after the flag is set: V8's own test of whether two objects share a map.
const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean

const nextTickObject = () =>
  new Promise<object>((resolve) => process.nextTick(() => resolve(executionAsyncResource())))

describe('keepTickObjectShape', () => {
  it("keeps one of Node's tick objects, whose shape the next ones share after full collections", async () => {
    const kept = await keepTickObjectShape()
    expect(kept).toHaveProperty('callback')
    expect(await keepTickObjectShape()).toBe(kept)
    for (let round = 0; round < 3; round++) {
      collectGarbage()
      await new Promise((resolve) => setImmediate(resolve))
    }
    expect(haveSameMap(kept, await nextTickObject())).toBe(true)
  })
})
