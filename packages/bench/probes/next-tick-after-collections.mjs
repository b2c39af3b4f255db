// node --expose-gc packages/bench/probes/next-tick-after-collections.mjs [--keep]
//
// Nanoseconds per `process.nextTick` in twelve rounds of 200,000, with two full collections after each
// round while no tick object is alive. With --keep, one tick object is kept first, as `runService` does
// (packages/service-kit/src/tick-shape.ts). Compare the two runs' later rounds, in the same minute.
import { keepTickObjectShape } from '@shop/service-kit'

const TICKS = 200_000
const noop = () => {}

if (process.argv.includes('--keep')) await keepTickObjectShape()

const rounds = []
for (let round = 0; round < 12; round++) {
  const started = process.hrtime.bigint()
  for (let tick = 0; tick < TICKS; tick++) process.nextTick(noop)
  await new Promise((resolve) => setImmediate(resolve))
  rounds.push(Math.round(Number(process.hrtime.bigint() - started) / TICKS))
  globalThis.gc()
  await new Promise((resolve) => setImmediate(resolve))
  globalThis.gc()
}
process.stdout.write(
  `${process.argv.includes('--keep') ? 'kept' : 'plain'}: ${rounds.join(' ')} ns per nextTick\n`,
)
