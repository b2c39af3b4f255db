import { Type, type Static } from './typebox.js'
import { ListOf } from './common.js'
import { OrderId } from './inventory.js'
import { Email } from './profile.js'

/** Crockford's base32: no I, L, O or U, so an id read aloud or typed by hand survives. */
export const CROCKFORD_BASE32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
/** The random characters after `TK` in a ticket id. */
export const TICKET_ID_RANDOM_CHARS = 12

/**
 * A ticket id: `TK` and 12 base32 characters. contact-support-team and the BFF validate `:id` with
 * this one schema, so the BFF refuses exactly the ids the service would.
 */
export const TicketId = Type.String({
  pattern: `^TK[${CROCKFORD_BASE32}]{${TICKET_ID_RANDOM_CHARS}}$`,
  description: 'Ticket id: TK and 12 characters of Crockford base32',
})

export const TicketRequest = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 80 }),
    email: Email,
    subject: Type.String({ minLength: 3, maxLength: 120 }),
    message: Type.String({ minLength: 10, maxLength: 5000 }),
    orderId: Type.Optional(OrderId),
  },
  { additionalProperties: false },
)
export type TicketRequest = Static<typeof TicketRequest>

export const Ticket = Type.Object({
  id: TicketId,
  status: Type.Enum(['open', 'answered', 'closed']),
  name: Type.String(),
  email: Email,
  subject: Type.String(),
  message: Type.String(),
  orderId: Type.Optional(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
})
export type Ticket = Static<typeof Ticket>
export const TicketList = ListOf(Ticket)

export const SupportInfo = Type.Object({
  hours: Type.String(),
  timezone: Type.String(),
  email: Type.String(),
  phone: Type.String(),
  expectedResponseHours: Type.Integer({ minimum: 1 }),
  topics: Type.Array(Type.String()),
})
export type SupportInfo = Static<typeof SupportInfo>
