import { CROCKFORD_BASE32, randomBase32 } from '@shop/service-kit'

const PREFIX = 'SH'
const RANDOM_CHARS = 10
const TRACKING_NUMBER = new RegExp(`^${PREFIX}[${CROCKFORD_BASE32}]{${RANDOM_CHARS}}$`)

/** `SH` and 10 random base32 characters: 50 bits, too many to guess, short enough to type. */
export function newTrackingNumber(): string {
  return PREFIX + randomBase32(RANDOM_CHARS)
}

/**
 * The canonical form of a tracking number as a person may type it (lower case, spaces or dashes,
 * O for 0, I or L for 1), or undefined when it cannot be one.
 */
export function normalizeTrackingNumber(input: string): string | undefined {
  const compact = input.toUpperCase().replace(/[\s-]/g, '')
  if (!compact.startsWith(PREFIX)) return undefined
  const canonical = PREFIX + compact.slice(PREFIX.length).replace(/O/g, '0').replace(/[IL]/g, '1')
  return TRACKING_NUMBER.test(canonical) ? canonical : undefined
}
