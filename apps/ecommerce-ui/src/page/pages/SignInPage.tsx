import { useState, type FormEvent } from 'react'
import { Link, useLocation, useNavigate } from 'react-router'
import type { ApiError } from '../api/client'
import { asApiError } from '../api/useApi'
import { ErrorMessage } from '../components/ErrorMessage'
import { PageTitle } from '../components/PageTitle'
import { useSession } from '../session'

/** Where to go after signing in, and what to add to the cart on the way (from "Add to cart" as a guest). */
export interface SignInState {
  from?: string
  add?: { productId: string; quantity: number }
}

/** After signing in or up: add what the guest wanted to add, then go back where they were. */
export function useAfterSignIn() {
  const navigate = useNavigate()
  const session = useSession()
  const state = (useLocation().state ?? {}) as SignInState
  return async () => {
    let notice: string | undefined
    if (state.add) {
      try {
        await session.addToCart(state.add.productId, state.add.quantity)
        notice = 'added'
      } catch {
        notice = 'not-added'
      }
    }
    navigate(state.from && state.from.startsWith('/') ? state.from : '/', {
      replace: true,
      state: { notice },
    })
  }
}

export function SignInPage() {
  const session = useSession()
  const location = useLocation()
  const afterSignIn = useAfterSignIn()
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError>()

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      await session.signIn(email.trim(), password)
      await afterSignIn()
    } catch (failure) {
      setError(asApiError(failure))
      setBusy(false)
    }
  }

  return (
    <div className="narrow">
      <PageTitle>Sign in</PageTitle>
      {(location.state as SignInState | null)?.add && (
        <p className="notice notice-info">Sign in and we will add the product to your cart.</p>
      )}
      <form className="panel form" onSubmit={submit}>
        {error && (
          <ErrorMessage error={error} title={error.status === 401 ? 'That did not work' : undefined} />
        )}
        <div className="field">
          <label htmlFor="email">Email</label>
          <input
            id="email"
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="password">Password</label>
          <input
            id="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </div>
        <button type="submit" className="button button-primary button-block" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p>
        New here?{' '}
        <Link to="/signup" state={location.state}>
          Create an account
        </Link>
      </p>
    </div>
  )
}
