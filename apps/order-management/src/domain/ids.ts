import { randomBase32 } from '@shop/service-kit'

/** `ORD-` and 12 random base32 characters: unguessable (60 bits), easy to read out on the phone. */
export function newOrderId(): string {
  return `ORD-${randomBase32(12)}`
}
