import { createHash } from 'node:crypto'
import { TICKET_ID_RANDOM_CHARS as ID_CHARS } from '@shop/contracts'
import { base32Of, randomBase32 } from '@shop/service-kit'

/** `TK` and 12 random base32 characters (60 bits), easy to read aloud to the support desk. */
export function newTicketId(): string {
  return `TK${randomBase32(ID_CHARS)}`
}

/**
 * The id of the ticket a client's idempotency key opens: derived from the key and who sent it, so
 * every retry of the request tries to insert the same id and only one insert can land.
 */
export function ticketIdForKey(scope: string, key: string): string {
  return `TK${base32Of(createHash('sha256').update(`${scope}\n${key}`).digest(), ID_CHARS)}`
}
