import { useState, type FormEvent } from 'react'
import { Link, useLocation } from 'react-router'
import type { ApiError } from '../api/client'
import { asApiError } from '../api/useApi'
import { ErrorMessage } from '../components/ErrorMessage'
import { PageTitle } from '../components/PageTitle'
import { useSession, type SignUpForm } from '../session'
import { useAfterSignIn } from './SignInPage'

export function SignUpPage() {
  const session = useSession()
  const location = useLocation()
  const afterSignIn = useAfterSignIn()
  const [form, setForm] = useState<SignUpForm>({ firstName: '', lastName: '', email: '', password: '' })
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError>()

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      await session.signUp({
        ...form,
        email: form.email.trim(),
        firstName: form.firstName.trim(),
        lastName: form.lastName.trim(),
      })
      await afterSignIn()
    } catch (failure) {
      setError(asApiError(failure))
      setBusy(false)
    }
  }
  const field = (name: keyof SignUpForm, label: string, props: Record<string, unknown>) => (
    <div className="field">
      <label htmlFor={`signup-${name}`}>{label}</label>
      <input
        id={`signup-${name}`}
        required
        value={form[name]}
        onChange={(event) => {
          const value = event.target.value
          // Functional update: autofill changes several fields before React re-renders.
          setForm((current) => ({ ...current, [name]: value }))
        }}
        {...props}
      />
    </div>
  )

  return (
    <div className="narrow">
      <PageTitle>Create an account</PageTitle>
      <form className="panel form" onSubmit={submit}>
        {error && (
          <ErrorMessage
            error={error}
            title={error.status === 409 ? 'This email already has an account' : undefined}
          />
        )}
        <div className="field-row">
          {field('firstName', 'First name', { autoComplete: 'given-name', maxLength: 60 })}
          {field('lastName', 'Last name', { autoComplete: 'family-name', maxLength: 60 })}
        </div>
        {field('email', 'Email', { type: 'email', autoComplete: 'email', maxLength: 254 })}
        {field('password', 'Password', {
          type: 'password',
          autoComplete: 'new-password',
          minLength: 8,
          maxLength: 128,
          'aria-describedby': 'password-hint',
        })}
        <p id="password-hint" className="muted small">
          At least 8 characters.
        </p>
        <button type="submit" className="button button-primary button-block" disabled={busy}>
          {busy ? 'Creating your account…' : 'Create account'}
        </button>
      </form>
      <p>
        Already have an account?{' '}
        <Link to="/signin" state={location.state}>
          Sign in
        </Link>
      </p>
    </div>
  )
}
