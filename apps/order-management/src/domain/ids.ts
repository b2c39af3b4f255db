import { randomBytes } from 'node:crypto'

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

/** `ORD-` and 12 Crockford base32 characters: unguessable (60 bits), easy to read out on the phone. */
export function newOrderId(): string {
  const bytes = randomBytes(12)
  let id = ''
  for (const byte of bytes) id += ALPHABET[byte & 31]
  return `ORD-${id}`
}
