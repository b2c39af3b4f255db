import { useState, type FormEvent } from 'react'
import { Link, useNavigate } from 'react-router'
import { api, type ApiError } from '../api/client'
import type { User } from '../api/types'
import { asApiError } from '../api/useApi'
import { AddressFields, fromAddress, toAddress } from '../components/AddressFields'
import { ErrorMessage } from '../components/ErrorMessage'
import { PageTitle } from '../components/PageTitle'
import { useSession } from '../session'

export function AccountPage() {
  const session = useSession()
  const navigate = useNavigate()
  const user = session.user as User
  const [firstName, setFirstName] = useState(user.firstName)
  const [lastName, setLastName] = useState(user.lastName)
  const [address, setAddress] = useState(fromAddress(user.address))
  const [state, setState] = useState<'idle' | 'saving' | 'saved'>('idle')
  const [error, setError] = useState<ApiError>()
  const hasAddress = Boolean(address.line1 || address.city || address.postalCode)

  const save = async (event: FormEvent) => {
    event.preventDefault()
    setState('saving')
    setError(undefined)
    try {
      const updated = await api.put<User>('/api/profile', {
        firstName: firstName.trim(),
        lastName: lastName.trim(),
        ...(hasAddress ? { address: toAddress(address) } : {}),
      })
      session.setUser(updated)
      setState('saved')
    } catch (failure) {
      setError(asApiError(failure))
      setState('idle')
    }
  }

  const signOut = async () => {
    try {
      await session.signOut()
      navigate('/')
    } catch (failure) {
      setError(asApiError(failure))
    }
  }

  return (
    <div className="narrow">
      <PageTitle>Your account</PageTitle>
      <p className="muted">
        Signed in as <strong>{user.email}</strong> · <Link to="/orders">Your orders</Link> ·{' '}
        <Link to="/support">Your tickets</Link>
      </p>
      <form className="panel form" onSubmit={save}>
        <h2>Profile</h2>
        {error && <ErrorMessage error={error} />}
        <div className="field-row">
          <div className="field">
            <label htmlFor="first-name">First name</label>
            <input
              id="first-name"
              required
              maxLength={60}
              value={firstName}
              onChange={(event) => setFirstName(event.target.value)}
              autoComplete="given-name"
            />
          </div>
          <div className="field">
            <label htmlFor="last-name">Last name</label>
            <input
              id="last-name"
              required
              maxLength={60}
              value={lastName}
              onChange={(event) => setLastName(event.target.value)}
              autoComplete="family-name"
            />
          </div>
        </div>
        <fieldset>
          <legend>Delivery address</legend>
          <AddressFields value={address} onChange={setAddress} required={hasAddress} />
        </fieldset>
        <button type="submit" className="button button-primary" disabled={state === 'saving'}>
          {state === 'saving' ? 'Saving…' : 'Save'}
        </button>
        <p role="status" className="form-status">
          {state === 'saved' && 'Your profile is saved.'}
        </p>
      </form>
      <button type="button" className="button button-secondary" onClick={signOut}>
        Sign out
      </button>
    </div>
  )
}
