import { useEffect, useRef } from 'react'
import { Link, NavLink, Outlet, useLocation } from 'react-router'
import { useSession } from '../session'
import { ErrorMessage } from './ErrorMessage'
import { MeshFooter } from './MeshFooter'

/** Header, the page, and the footer that shows which versions of the services served it. */
export function Layout() {
  const { user, cart, status, error, reload } = useSession()
  const location = useLocation()
  const main = useRef<HTMLElement>(null)
  const firstPage = useRef(true)

  // A new page: move the focus to it (as a full page load would), except on the first load, where the
  // browser starts at the top anyway.
  useEffect(() => {
    if (firstPage.current) {
      firstPage.current = false
      return
    }
    main.current?.focus({ preventScroll: true })
    window.scrollTo(0, 0)
  }, [location.pathname])

  const itemCount = cart?.itemCount ?? 0
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="site-header-inner">
          <Link to="/" className="brand" aria-label="Mesh Shop, home">
            <span className="brand-mark" aria-hidden="true">
              ◆
            </span>
            Mesh Shop
          </Link>
          <nav aria-label="Main" className="main-nav">
            <NavLink to="/" end>
              Catalog
            </NavLink>
            <NavLink to="/shipping">Shipping</NavLink>
            <NavLink to="/support">Support</NavLink>
            {user ? (
              <>
                <NavLink to="/orders">Orders</NavLink>
                <NavLink to="/account" data-testid="account-link">
                  {user.firstName}
                </NavLink>
              </>
            ) : (
              <NavLink to="/signin" data-testid="signin-link">
                Sign in
              </NavLink>
            )}
          </nav>
          <NavLink to="/cart" className="cart-link" data-testid="cart-link">
            Cart
            {itemCount > 0 && (
              <span className="badge" data-testid="cart-count">
                <span className="visually-hidden">, </span>
                {itemCount}
                <span className="visually-hidden"> {itemCount === 1 ? 'item' : 'items'}</span>
              </span>
            )}
          </NavLink>
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1} className="site-main">
        {status === 'error' && error && (
          <ErrorMessage error={error} title="We could not check whether you are signed in" onRetry={reload} />
        )}
        <Outlet />
      </main>
      <MeshFooter />
    </>
  )
}
