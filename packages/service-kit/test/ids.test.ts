import { describe, expect, it } from 'vitest'
import { base32Of, CROCKFORD_BASE32, randomBase32 } from '@shop/service-kit'

describe('base32 ids', () => {
  it('makes random ids of the asked length from the Crockford alphabet, all different', () => {
    const ids = Array.from({ length: 2000 }, () => randomBase32(12))
    for (const id of ids) expect(id).toMatch(new RegExp(`^[${CROCKFORD_BASE32}]{12}$`))
    expect(new Set(ids).size).toBe(ids.length)
    expect(new Set(ids.join('')).size).toBe(32)
  })

  it('reads bytes 5 bits at a time, the same bytes giving the same text', () => {
    expect(base32Of(Uint8Array.from([0b00001000, 0b10000000]), 3)).toBe('120')
    expect(base32Of(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff]), 8)).toBe('ZZZZZZZZ')
    const bytes = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8])
    expect(base32Of(bytes, 12)).toBe(base32Of(bytes, 12))
    expect(() => base32Of(bytes, 13)).toThrow(RangeError)
  })
})
