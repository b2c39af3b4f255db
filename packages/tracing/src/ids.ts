import { randomFillSync } from 'node:crypto'
import type { IdGenerator } from '@opentelemetry/sdk-trace'

/** Random bytes drawn at a time: 8,192 hex characters, the ids of about 170 requests. */
const POOL_BYTES = 4096

/**
 * Trace and span ids cut from a string of random hex, drawn from the system's CSPRNG a few kilobytes
 * at a time. The SDK's generator wrote `Math.random()` into a buffer and hex-encoded it through a
 * native call for every id, 3,800 instructions a request in the catalog (packages/bench/README.md);
 * a cut is a substring, which V8 makes without copying.
 */
export class PooledIdGenerator implements IdGenerator {
  private pool = ''
  private taken = 0

  generateTraceId(): string {
    return this.take(32)
  }

  generateSpanId(): string {
    return this.take(16)
  }

  private take(length: number): string {
    if (this.taken + length > this.pool.length) {
      this.pool = randomHex()
      this.taken = 0
    }
    return this.pool.slice(this.taken, (this.taken += length))
  }
}

/**
 * Every id starts on an 8-byte boundary and spans one or two 8-byte blocks, so with no block all
 * zeros no id is all zeros, which the W3C spec reserves. A zero block (one in 2^64) gets a 1 in its
 * last byte, as the SDK's own generator does.
 */
function randomHex(): string {
  const bytes = randomFillSync(Buffer.allocUnsafe(POOL_BYTES))
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, POOL_BYTES / 4)
  for (let word = 0; word < words.length; word += 2) {
    if (words[word] === 0 && words[word + 1] === 0) bytes[word * 4 + 7] = 1
  }
  return bytes.toString('hex')
}
