import { randomInt } from 'node:crypto'
import { CROCKFORD_BASE32 } from '@shop/contracts'

// The alphabet lives in the contracts, which state the id patterns built from it (ticket ids).
export { CROCKFORD_BASE32 }

/** `length` random base32 characters: 5 unguessable bits each (order ids, tracking numbers). */
export function randomBase32(length: number): string {
  let text = ''
  for (let i = 0; i < length; i++) text += CROCKFORD_BASE32[randomInt(32)]
  return text
}

/** `length` base32 characters read from `bytes`, 5 bits at a time: the same bytes give the same text. */
export function base32Of(bytes: Uint8Array, length: number): string {
  if (bytes.length * 8 < length * 5)
    throw new RangeError(`${bytes.length} bytes cannot give ${length} characters`)
  let text = ''
  for (let i = 0; i < length; i++) {
    const bit = i * 5
    const pair = (bytes[bit >> 3]! << 8) | (bytes[(bit >> 3) + 1] ?? 0)
    text += CROCKFORD_BASE32[(pair >> (11 - (bit & 7))) & 31]
  }
  return text
}
