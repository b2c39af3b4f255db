import { createContext, use, useCallback, useEffect, useMemo, useState, type ReactNode } from 'react'
import { api, SESSION_ENDED, type ApiError } from './api/client'
import type { Cart, User } from './api/types'
import { asApiError } from './api/useApi'

export interface SignUpForm {
  email: string
  password: string
  firstName: string
  lastName: string
}

interface SessionValue {
  /** `loading` until the BFF said who is signed in. */
  status: 'loading' | 'ready' | 'error'
  user: User | null
  /** The signed-in person's cart, once loaded (null for guests, or while unknown). */
  cart: Cart | null
  /** Why the BFF could not say who is signed in, if that happened. */
  error: ApiError | undefined
  signIn(email: string, password: string): Promise<User>
  signUp(form: SignUpForm): Promise<User>
  signOut(): Promise<void>
  setUser(user: User): void
  setCart(cart: Cart): void
  refreshCart(): Promise<Cart | null>
  /** Adds to the quantity already in the cart (the BFF sets quantities, so the page adds them up). */
  addToCart(productId: string, quantity: number): Promise<Cart>
  reload(): void
}

const SessionContext = createContext<SessionValue | null>(null)

export const MAX_QUANTITY = 99

/**
 * Who is signed in and their cart. The cart lives in order-management, so it needs an account: a
 * guest who adds a product is asked to sign in, and the product is added right after.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<SessionValue['status']>('loading')
  const [user, setUser] = useState<User | null>(null)
  const [cart, setCart] = useState<Cart | null>(null)
  const [error, setError] = useState<ApiError>()
  const [attempt, setAttempt] = useState(0)

  const refreshCart = useCallback(async () => {
    try {
      const next = await api.get<Cart>('/api/cart')
      setCart(next)
      return next
    } catch {
      // The header keeps the count it had; the cart page loads the cart itself and shows any error.
      return null
    }
  }, [])

  useEffect(() => {
    let current = true
    api.get<{ user: User | null }>('/api/session').then(
      ({ user: signedIn }) => {
        if (!current) return
        setUser(signedIn)
        setStatus('ready')
        if (signedIn) void refreshCart()
      },
      (failure: unknown) => {
        if (!current) return
        setError(asApiError(failure))
        setStatus('error')
      },
    )
    return () => {
      current = false
    }
  }, [attempt, refreshCart])

  useEffect(() => {
    const ended = () => {
      setUser(null)
      setCart(null)
    }
    window.addEventListener(SESSION_ENDED, ended)
    return () => window.removeEventListener(SESSION_ENDED, ended)
  }, [])

  const begin = useCallback(
    async (signedIn: { user: User }) => {
      // The cart first: the page shows the person as signed in (the account link) only once it also
      // leaves the sign-in form, which waits for this; a click in between would be taken away.
      await refreshCart()
      setUser(signedIn.user)
      setStatus('ready')
      setError(undefined)
      return signedIn.user
    },
    [refreshCart],
  )

  const value = useMemo<SessionValue>(
    () => ({
      status,
      user,
      cart,
      error,
      signIn: async (email, password) => begin(await api.post('/api/auth/signin', { email, password })),
      signUp: async (form) => begin(await api.post('/api/auth/signup', form)),
      signOut: async () => {
        await api.post('/api/auth/signout')
        setUser(null)
        setCart(null)
      },
      setUser,
      setCart,
      refreshCart,
      addToCart: async (productId, quantity) => {
        const latest = cart ?? (await api.get<Cart>('/api/cart'))
        const inCart = latest.items.find((line) => line.productId === productId)?.quantity ?? 0
        const next = await api.put<Cart>(`/api/cart/items/${productId}`, {
          quantity: Math.min(MAX_QUANTITY, inCart + quantity),
        })
        setCart(next)
        return next
      },
      reload: () => setAttempt((count) => count + 1),
    }),
    [status, user, cart, error, begin, refreshCart],
  )
  return <SessionContext value={value}>{children}</SessionContext>
}

export function useSession(): SessionValue {
  const value = use(SessionContext)
  if (!value) throw new Error('useSession needs a SessionProvider')
  return value
}
