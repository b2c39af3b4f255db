import type { ReactNode } from 'react'
import { Navigate, useLocation } from 'react-router'
import { useSession } from '../session'
import { Loading } from './Loading'

/** Pages of the signed-in person: others are sent to sign in, and come back here afterwards. */
export function RequireSignIn({ children }: { children: ReactNode }) {
  const { status, user } = useSession()
  const location = useLocation()
  if (status === 'loading') return <Loading />
  if (!user) return <Navigate to="/signin" replace state={{ from: location.pathname + location.search }} />
  return children
}
