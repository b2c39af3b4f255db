import { Type, type Static } from 'typebox'
import { ListOf } from './common.js'
import { Email } from './profile.js'

export const TicketRequest = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 80 }),
    email: Email,
    subject: Type.String({ minLength: 3, maxLength: 120 }),
    message: Type.String({ minLength: 10, maxLength: 5000 }),
    orderId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' })),
  },
  { additionalProperties: false },
)
export type TicketRequest = Static<typeof TicketRequest>

export const Ticket = Type.Object({
  id: Type.String(),
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
