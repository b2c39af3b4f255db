import { createHash } from 'node:crypto'
import { TicketRequest, type Ticket } from '@shop/contracts'
import { ProblemError, problemType } from '@shop/service-kit'
import { newTicketId, ticketIdForKey } from './ticket-ids.js'

/** A ticket as stored: its owner (null for a guest) and, when opened with a key, the request's fingerprint. */
export interface TicketRecord {
  id: string
  status: Ticket['status']
  name: string
  email: string
  subject: string
  message: string
  orderId?: string | undefined
  userId: string | null
  createdAt: Date
  requestHash?: string | undefined
}

export interface TicketPage {
  items: TicketRecord[]
  total: number
}

export interface TicketStore {
  /** Inserts unless a ticket with the id exists; false when one does. */
  insertNew(record: TicketRecord): Promise<boolean>
  findById(id: string): Promise<TicketRecord | undefined>
  findOwn(userId: string, id: string): Promise<TicketRecord | undefined>
  /** The user's tickets, newest first. */
  listOwn(userId: string, page: { skip: number; limit: number }): Promise<TicketPage>
}

const ID_ATTEMPTS = 5

export class Tickets {
  constructor(
    private readonly store: TicketStore,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * Opens a ticket for a guest (no user id) or a signed-in user. With an idempotency key, retries of
   * the same request answer the first ticket (created: false) and open no other; the same key with
   * a different request is refused.
   */
  async open(
    request: TicketRequest,
    userId: string | undefined,
    idempotencyKey?: string,
  ): Promise<{ ticket: TicketRecord; created: boolean }> {
    const fields = normalize(request)
    const base = { ...fields, status: 'open' as const, userId: userId ?? null, createdAt: this.clock() }
    if (!idempotencyKey) {
      for (let attempt = 0; attempt < ID_ATTEMPTS; attempt++) {
        const ticket: TicketRecord = { ...base, id: newTicketId() }
        if (await this.store.insertNew(ticket)) return { ticket, created: true }
      }
      throw new Error(`no free ticket id after ${ID_ATTEMPTS} attempts`)
    }

    // Keys are scoped to the user who sends them. Guests share one scope, where only the identical
    // request (whose content the sender already knows) answers an earlier guest's ticket.
    const id = ticketIdForKey(userId ? `user:${userId}` : 'guest', idempotencyKey)
    const ticket: TicketRecord = { ...base, id, requestHash: fingerprint(fields) }
    if (await this.store.insertNew(ticket)) return { ticket, created: true }
    const existing = await this.store.findById(id)
    if (!existing) throw new Error(`ticket ${id} reported as a duplicate but not found`)
    if (existing.requestHash !== ticket.requestHash)
      throw new ProblemError(422, 'This Idempotency-Key was already used for a different ticket', {
        title: 'Idempotency key reused',
        type: problemType('idempotency-key-reused'),
      })
    return { ticket: existing, created: false }
  }

  listOwn(userId: string, page: number, pageSize: number): Promise<TicketPage> {
    return this.store.listOwn(userId, { skip: (page - 1) * pageSize, limit: pageSize })
  }

  findOwn(userId: string, id: string): Promise<TicketRecord | undefined> {
    return this.store.findOwn(userId, id)
  }
}

export function toTicket(record: TicketRecord): Ticket {
  const { id, status, name, email, subject, message, orderId, createdAt } = record
  return { id, status, name, email, subject, message, orderId, createdAt: createdAt.toISOString() }
}

type TicketFields = Pick<TicketRecord, 'name' | 'email' | 'subject' | 'message' | 'orderId'>

/** Trims the texts; one that is only blanks is as missing as an empty one. */
function normalize(request: TicketRequest): TicketFields {
  const fields = {
    name: request.name.trim(),
    email: request.email,
    subject: request.subject.trim(),
    message: request.message.trim(),
    orderId: request.orderId,
  }
  const errors = (['name', 'subject', 'message'] as const)
    .filter((field) => fields[field].length < minLength(field))
    .map((field) => ({
      in: 'body',
      path: `/${field}`,
      message: `must have at least ${minLength(field)} characters besides blanks`,
    }))
  if (errors.length > 0)
    throw new ProblemError(400, errors.map((error) => `body${error.path} ${error.message}`).join('; '), {
      title: 'Invalid request',
      type: problemType('invalid-request'),
      extensions: { errors },
    })
  return fields
}

/** The shared schema's lower bound, so the rule has one source. */
function minLength(field: 'name' | 'subject' | 'message'): number {
  return (TicketRequest.properties[field] as { minLength?: number }).minLength ?? 1
}

function fingerprint(fields: TicketFields): string {
  const ordered = [fields.name, fields.email, fields.subject, fields.message, fields.orderId ?? null]
  return createHash('sha256').update(JSON.stringify(ordered)).digest('hex')
}
