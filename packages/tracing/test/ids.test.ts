import type * as Crypto from 'node:crypto'
import { trace } from '@opentelemetry/api'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { PooledIdGenerator } from '../src/ids.js'

const cryptoStub = vi.hoisted(() => ({ zeros: false }))

// The CSPRNG is outside the system: a test makes it answer zeros, to see what the generator does
// with the one draw in 2^64 that would be an invalid id.
vi.mock('node:crypto', async (importOriginal) => {
  const crypto = await importOriginal<typeof Crypto>()
  return {
    ...crypto,
    randomFillSync: <T extends NodeJS.ArrayBufferView>(buffer: T): T =>
      cryptoStub.zeros
        ? (new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength).fill(0), buffer)
        : crypto.randomFillSync(buffer),
  }
})

afterEach(() => {
  cryptoStub.zeros = false
})

describe('trace and span ids cut from a random pool', () => {
  it('are valid lowercase hex of the right length, and all differ, across many refills of the pool', () => {
    const ids = new PooledIdGenerator()
    const seen = new Set<string>()
    // 4,000 ids of each kind take 192,000 hex characters: about 23 pools.
    for (let draw = 0; draw < 4000; draw++) {
      const traceId = ids.generateTraceId()
      const spanId = ids.generateSpanId()
      expect(traceId).toMatch(/^[0-9a-f]{32}$/)
      expect(spanId).toMatch(/^[0-9a-f]{16}$/)
      expect(trace.isSpanContextValid({ traceId, spanId, traceFlags: 1 })).toBe(true)
      seen.add(traceId).add(spanId)
    }
    expect(seen.size).toBe(8000)
  })

  it('are never all zeros, even when the random source answers only zeros', () => {
    cryptoStub.zeros = true
    const ids = new PooledIdGenerator()
    const spanIds = Array.from({ length: 600 }, () => ids.generateSpanId())
    const traceIds = Array.from({ length: 300 }, () => ids.generateTraceId())
    expect(new Set(spanIds)).toEqual(new Set(['0000000000000001']))
    expect(new Set(traceIds)).toEqual(new Set(['00000000000000010000000000000001']))
  })
})
