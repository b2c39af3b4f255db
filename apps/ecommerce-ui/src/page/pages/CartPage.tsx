import { useEffect, useState } from 'react'
import { Link, useLocation } from 'react-router'
import { api, query, type ApiError } from '../api/client'
import type { Cart, CartLine, CartQuote, ShippingMethodId } from '../api/types'
import { asApiError, useApi } from '../api/useApi'
import { ErrorMessage } from '../components/ErrorMessage'
import { Loading } from '../components/Loading'
import { PageTitle } from '../components/PageTitle'
import { QuoteTotals } from '../components/QuoteTotals'
import { DEFAULT_DESTINATION, SHIPPING_METHOD_NAMES } from '../constants'
import { formatPrice, plural } from '../format'
import { MAX_QUANTITY, useSession } from '../session'

export function CartPage() {
  const session = useSession()
  const location = useLocation()
  if (session.status === 'loading') return <Loading />
  if (!session.user)
    return (
      <div>
        <PageTitle>Your cart</PageTitle>
        <div className="empty">
          <p>Your cart is kept in your account, so it follows you from phone to laptop.</p>
          <Link to="/signin" state={{ from: location.pathname }} className="button button-primary">
            Sign in to see your cart
          </Link>
        </div>
      </div>
    )
  return <SignedInCart />
}

function SignedInCart() {
  const { setCart, user } = useSession()
  const cart = useApi((signal) => api.get<Cart>('/api/cart', signal), [])
  const [pending, setPending] = useState<string>()
  const [error, setError] = useState<ApiError>()

  useEffect(() => {
    if (cart.data) setCart(cart.data)
  }, [cart.data, setCart])

  const change = async (line: CartLine, quantity: number) => {
    setPending(line.productId)
    setError(undefined)
    try {
      const next =
        quantity === 0
          ? await api.delete<Cart>(`/api/cart/items/${line.productId}`)
          : await api.put<Cart>(`/api/cart/items/${line.productId}`, { quantity })
      cart.setData(next)
    } catch (failure) {
      setError(asApiError(failure))
    } finally {
      setPending(undefined)
    }
  }

  return (
    <div className="cart">
      <PageTitle>Your cart</PageTitle>
      {cart.state === 'loading' && <Loading label="Loading your cart…" />}
      {cart.state === 'error' && (
        <ErrorMessage error={cart.error} title="We could not load your cart" onRetry={cart.reload} />
      )}
      {cart.state === 'ready' && cart.data.items.length === 0 && (
        <div className="empty">
          <p>Your cart is empty.</p>
          <Link to="/" className="button button-primary">
            Browse the catalog
          </Link>
        </div>
      )}
      {cart.state === 'ready' && cart.data.items.length > 0 && (
        <div className="cart-layout">
          <section aria-label="Items">
            {error && <ErrorMessage error={error} title="We could not change your cart" />}
            <ul className="cart-lines">
              {cart.data.items.map((line) => (
                <CartLineRow
                  key={line.productId}
                  line={line}
                  busy={pending === line.productId}
                  onChange={change}
                />
              ))}
            </ul>
          </section>
          <CartSummary cart={cart.data} destination={user?.address ?? DEFAULT_DESTINATION} />
        </div>
      )}
    </div>
  )
}

interface RowProps {
  line: CartLine
  busy: boolean
  onChange: (line: CartLine, quantity: number) => void
}

function CartLineRow({ line, busy, onChange }: RowProps) {
  return (
    <li className="cart-line" data-testid="cart-line" data-product-id={line.productId} aria-busy={busy}>
      <img src={line.image} alt="" width={96} height={72} />
      <div className="cart-line-info">
        <Link to={`/products/${line.productId}`}>{line.name}</Link>
        <span className="muted">{formatPrice(line.unitPrice)} each</span>
      </div>
      <div className="quantity" role="group" aria-label={`Quantity of ${line.name}`}>
        <button
          type="button"
          className="button button-icon"
          aria-label={`One less ${line.name}`}
          disabled={busy}
          onClick={() => onChange(line, line.quantity - 1)}
        >
          −
        </button>
        <span className="quantity-value" aria-live="polite" data-testid="line-quantity">
          {line.quantity}
        </span>
        <button
          type="button"
          className="button button-icon"
          aria-label={`One more ${line.name}`}
          disabled={busy || line.quantity >= MAX_QUANTITY}
          onClick={() => onChange(line, line.quantity + 1)}
        >
          +
        </button>
      </div>
      <span className="price cart-line-total">{formatPrice(line.lineTotal)}</span>
      <button type="button" className="button button-link" disabled={busy} onClick={() => onChange(line, 0)}>
        Remove<span className="visually-hidden"> {line.name}</span>
      </button>
    </li>
  )
}

function CartSummary({
  cart,
  destination,
}: {
  cart: Cart
  destination: { country: string; postalCode: string }
}) {
  const [method, setMethod] = useState<ShippingMethodId>('standard')
  const quote = useApi(
    (signal) =>
      api.get<CartQuote>(
        `/api/cart/quote${query({ shippingMethod: method, country: destination.country, postalCode: destination.postalCode })}`,
        signal,
      ),
    [method, destination.country, destination.postalCode, cart.subtotal, cart.itemCount],
  )
  return (
    <aside className="panel cart-summary" aria-labelledby="summary-heading">
      <h2 id="summary-heading">Summary</h2>
      <dl className="totals">
        <dt>Subtotal ({plural(cart.itemCount, 'item')})</dt>
        <dd data-testid="subtotal">{formatPrice(cart.subtotal)}</dd>
      </dl>
      <label className="field">
        <span>
          Shipping to {destination.postalCode}, {destination.country}
        </span>
        <select value={method} onChange={(event) => setMethod(event.target.value as ShippingMethodId)}>
          {Object.entries(SHIPPING_METHOD_NAMES).map(([id, name]) => (
            <option key={id} value={id}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <QuoteTotals quote={quote} reload={quote.reload} withSubtotal={false} testId="quote" />
      <Link to="/checkout" className="button button-primary button-block">
        Checkout
      </Link>
    </aside>
  )
}
