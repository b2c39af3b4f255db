import { createHash, randomBytes } from 'node:crypto'

/** Crockford's base32, as people can read an id aloud to the support desk. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const ID_CHARS = 12

export const TICKET_ID_PATTERN = `^TK[${ALPHABET}]{${ID_CHARS}}$`

/** `TK` and 12 base32 characters (60 random bits). */
export function newTicketId(): string {
  return `TK${base32(randomBytes(8))}`
}

/**
 * The id of the ticket a client's idempotency key opens: derived from the key and who sent it, so
 * every retry of the request tries to insert the same id and only one insert can land.
 */
export function ticketIdForKey(scope: string, key: string): string {
  return `TK${base32(createHash('sha256').update(`${scope}\n${key}`).digest())}`
}

function base32(bytes: Uint8Array): string {
  let bits = 0n
  for (const byte of bytes.subarray(0, 8)) bits = (bits << 8n) | BigInt(byte)
  let text = ''
  for (let i = 0; i < ID_CHARS; i++) text += ALPHABET[Number((bits >> BigInt(5 * i)) & 31n)]
  return text
}
