import { useRef, useState, type FormEvent } from 'react'
import { Link, useLocation } from 'react-router'
import { api, type ApiError } from '../api/client'
import type { List, SupportInfo, Ticket, TicketRequest } from '../api/types'
import { asApiError, useApi } from '../api/useApi'
import { ErrorMessage } from '../components/ErrorMessage'
import { Loading } from '../components/Loading'
import { PageTitle } from '../components/PageTitle'
import { formatDateTime } from '../format'
import { useSession } from '../session'

export function SupportPage() {
  const { user } = useSession()
  const location = useLocation()
  const info = useApi((signal) => api.get<SupportInfo>('/api/support/info', signal), [])
  const [opened, setOpened] = useState<Ticket>()

  return (
    <div>
      <PageTitle>Support</PageTitle>
      <div className="support-layout">
        <div>
          <TicketForm key={user?.id ?? 'guest'} info={info.data} onOpened={setOpened} />
          {opened && (
            <p className="notice notice-success" role="status" data-testid="ticket-opened">
              Ticket <span className="mono">{opened.id}</span> is open. We usually answer within{' '}
              {info.data?.expectedResponseHours ?? 24} hours.
            </p>
          )}
        </div>
        <aside className="panel" aria-labelledby="contact-heading">
          <h2 id="contact-heading">Contact</h2>
          {info.state === 'loading' && <Loading />}
          {info.state === 'error' && (
            <ErrorMessage
              error={info.error}
              title="We could not load the support details"
              onRetry={info.reload}
            />
          )}
          {info.state === 'ready' && (
            <dl className="info-list">
              <dt>Hours</dt>
              <dd>
                {info.data.hours} ({info.data.timezone})
              </dd>
              <dt>Email</dt>
              <dd>
                <a href={`mailto:${info.data.email}`}>{info.data.email}</a>
              </dd>
              <dt>Phone</dt>
              <dd>{info.data.phone}</dd>
              <dt>Answer within</dt>
              <dd>{info.data.expectedResponseHours} hours</dd>
            </dl>
          )}
        </aside>
      </div>
      <section aria-labelledby="tickets-heading" className="tickets">
        <h2 id="tickets-heading">Your tickets</h2>
        {user ? (
          <MyTickets key={opened?.id ?? 'none'} />
        ) : (
          <p>
            <Link to="/signin" state={{ from: location.pathname }}>
              Sign in
            </Link>{' '}
            to see the tickets you opened.
          </p>
        )}
      </section>
    </div>
  )
}

function TicketForm({
  info,
  onOpened,
}: {
  info: SupportInfo | undefined
  onOpened: (ticket: Ticket) => void
}) {
  const { user } = useSession()
  const blank = {
    name: user ? `${user.firstName} ${user.lastName}` : '',
    email: user?.email ?? '',
    subject: '',
    message: '',
    orderId: '',
  }
  const [form, setForm] = useState(blank)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError>()
  // One key per ticket: sending the same form again after a failure cannot open it twice.
  const attemptKey = useRef(crypto.randomUUID())

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setError(undefined)
    const body: TicketRequest = {
      name: form.name.trim(),
      email: form.email.trim(),
      subject: form.subject.trim(),
      message: form.message.trim(),
    }
    if (form.orderId.trim()) body.orderId = form.orderId.trim()
    try {
      onOpened(await api.post<Ticket>('/api/tickets', body, { 'idempotency-key': attemptKey.current }))
      setForm(blank)
      attemptKey.current = crypto.randomUUID()
    } catch (failure) {
      setError(asApiError(failure))
    } finally {
      setBusy(false)
    }
  }
  const set = (name: keyof typeof form) => (event: { target: { value: string } }) => {
    const value = event.target.value
    // Functional update: autofill changes several fields before React re-renders.
    setForm((current) => ({ ...current, [name]: value }))
    attemptKey.current = crypto.randomUUID()
  }

  return (
    <form className="panel form" onSubmit={submit} aria-labelledby="ticket-heading">
      <h2 id="ticket-heading">Ask us anything</h2>
      {error && <ErrorMessage error={error} title="We could not open your ticket" />}
      <div className="field-row">
        <div className="field">
          <label htmlFor="ticket-name">Name</label>
          <input
            id="ticket-name"
            required
            maxLength={80}
            value={form.name}
            onChange={set('name')}
            autoComplete="name"
          />
        </div>
        <div className="field">
          <label htmlFor="ticket-email">Email</label>
          <input
            id="ticket-email"
            type="email"
            required
            value={form.email}
            onChange={set('email')}
            autoComplete="email"
          />
        </div>
      </div>
      <div className="field">
        <label htmlFor="ticket-subject">Subject</label>
        <input
          id="ticket-subject"
          required
          minLength={3}
          maxLength={120}
          value={form.subject}
          onChange={set('subject')}
          list="ticket-topics"
        />
        <datalist id="ticket-topics">
          {info?.topics.map((topic) => (
            <option key={topic} value={topic} />
          ))}
        </datalist>
      </div>
      <div className="field">
        <label htmlFor="ticket-order">Order number (optional)</label>
        <input
          id="ticket-order"
          maxLength={64}
          pattern="[A-Za-z0-9_\-]+"
          value={form.orderId}
          onChange={set('orderId')}
        />
      </div>
      <div className="field">
        <label htmlFor="ticket-message">Message</label>
        <textarea
          id="ticket-message"
          required
          minLength={10}
          maxLength={5000}
          rows={5}
          value={form.message}
          onChange={set('message')}
          aria-describedby="ticket-message-hint"
        />
        <p id="ticket-message-hint" className="muted small">
          At least 10 characters. Tell us what happened and, if you have it, the request id shown on the page.
        </p>
      </div>
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? 'Sending…' : 'Open a ticket'}
      </button>
    </form>
  )
}

function MyTickets() {
  const tickets = useApi((signal) => api.get<List<Ticket>>('/api/tickets', signal), [])
  if (tickets.state === 'loading') return <Loading label="Loading your tickets…" />
  if (tickets.state === 'error')
    return (
      <ErrorMessage error={tickets.error} title="We could not load your tickets" onRetry={tickets.reload} />
    )
  if (tickets.data.items.length === 0) return <p className="empty">You have not opened any tickets.</p>
  return (
    <ul className="ticket-list">
      {tickets.data.items.map((ticket) => (
        <li key={ticket.id} className="card ticket-row" data-testid="ticket-row">
          <span className="ticket-subject">{ticket.subject}</span>
          <span className={`status status-${ticket.status}`}>{ticket.status}</span>
          <span className="muted">
            <span className="mono">{ticket.id}</span> · {formatDateTime(ticket.createdAt)}
          </span>
        </li>
      ))}
    </ul>
  )
}
