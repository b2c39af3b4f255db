import { useRef, useState, type FormEvent } from 'react'
import { Link, useNavigate } from 'react-router'
import { api, query, type ApiError } from '../api/client'
import type {
  Address,
  Cart,
  CartQuote,
  List,
  Order,
  ShippingMethod,
  ShippingMethodId,
  User,
} from '../api/types'
import { asApiError, useApi } from '../api/useApi'
import { AddressFields, fromAddress, toAddress } from '../components/AddressFields'
import { ErrorMessage } from '../components/ErrorMessage'
import { Loading } from '../components/Loading'
import { PageTitle } from '../components/PageTitle'
import { QuoteTotals } from '../components/QuoteTotals'
import { formatBusinessDays, formatPrice } from '../format'
import { useSession } from '../session'
import { useDebounced } from '../useDebounced'

/** A key for one checkout attempt: the same on every retry of it, so the order is placed at most once. */
function newAttemptKey(): string {
  return crypto.randomUUID()
}

export function CheckoutPage() {
  const cart = useApi((signal) => api.get<Cart>('/api/cart', signal), [])
  const methods = useApi((signal) => api.get<List<ShippingMethod>>('/api/shipping/methods', signal), [])

  return (
    <div className="checkout">
      <PageTitle>Checkout</PageTitle>
      {(cart.state === 'loading' || methods.state === 'loading') && <Loading label="Preparing your order…" />}
      {cart.state === 'error' && (
        <ErrorMessage error={cart.error} title="We could not load your cart" onRetry={cart.reload} />
      )}
      {methods.state === 'error' && (
        <ErrorMessage
          error={methods.error}
          title="We could not load the shipping methods"
          onRetry={methods.reload}
        />
      )}
      {cart.state === 'ready' && cart.data.items.length === 0 && (
        <div className="empty">
          <p>Your cart is empty: there is nothing to check out.</p>
          <Link to="/" className="button button-primary">
            Browse the catalog
          </Link>
        </div>
      )}
      {cart.state === 'ready' && cart.data.items.length > 0 && methods.state === 'ready' && (
        <CheckoutForm cart={cart.data} methods={methods.data.items} />
      )}
    </div>
  )
}

function CheckoutForm({ cart, methods }: { cart: Cart; methods: ShippingMethod[] }) {
  const session = useSession()
  const navigate = useNavigate()
  const user = session.user as User
  const [address, setAddress] = useState(fromAddress(user.address))
  const [saveAddress, setSaveAddress] = useState(!user.address)
  const [method, setMethod] = useState<ShippingMethodId>(methods[0]?.id ?? 'standard')
  const [placing, setPlacing] = useState(false)
  const [error, setError] = useState<ApiError>()
  const attemptKey = useRef(newAttemptKey())

  // A different order (another method or address) is a new attempt; a retry of the same one is not.
  const changeAttempt = () => {
    attemptKey.current = newAttemptKey()
    setError(undefined)
  }

  const country = address.country
  const postalCode = useDebounced(address.postalCode.trim())
  const destination = { country, postalCode }
  const quotable = /^[A-Z]{2}$/.test(destination.country) && destination.postalCode.length >= 2
  const quote = useApi(
    (signal) =>
      quotable
        ? api.get<CartQuote>(`/api/cart/quote${query({ shippingMethod: method, ...destination })}`, signal)
        : Promise.resolve(undefined),
    [method, destination.country, destination.postalCode],
  )

  const place = async (event: FormEvent) => {
    event.preventDefault()
    setPlacing(true)
    setError(undefined)
    const shippingAddress: Address = toAddress(address)
    try {
      if (saveAddress) session.setUser(await api.put<User>('/api/profile', { address: shippingAddress }))
      const order = await api.post<Order>(
        '/api/orders',
        { shippingMethod: method, address: shippingAddress },
        { 'idempotency-key': attemptKey.current },
      )
      await session.refreshCart()
      navigate(`/orders/${order.id}`, { state: { placed: true } })
    } catch (failure) {
      setError(asApiError(failure))
      setPlacing(false)
    }
  }

  return (
    <form className="checkout-layout" onSubmit={place}>
      <div className="checkout-main">
        <fieldset className="panel">
          <legend>Delivery address</legend>
          <AddressFields
            value={address}
            onChange={(update) => {
              setAddress(update)
              changeAttempt()
            }}
          />
          <label className="checkbox">
            <input
              type="checkbox"
              checked={saveAddress}
              onChange={(event) => setSaveAddress(event.target.checked)}
            />
            Save this address to my profile
          </label>
        </fieldset>
        <fieldset className="panel">
          <legend>Shipping method</legend>
          <div className="choices">
            {methods.map((option) => (
              <label key={option.id} className="choice">
                <input
                  type="radio"
                  name="shippingMethod"
                  value={option.id}
                  checked={method === option.id}
                  onChange={() => {
                    setMethod(option.id)
                    changeAttempt()
                  }}
                />
                <span className="choice-text">
                  <strong>{option.name}</strong>
                  <span className="muted">
                    {formatBusinessDays(option.businessDays)} · from {formatPrice(option.baseFee)}
                  </span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
      </div>
      <aside className="panel checkout-summary" aria-labelledby="order-summary-heading">
        <h2 id="order-summary-heading">Your order</h2>
        <ul className="summary-lines">
          {cart.items.map((line) => (
            <li key={line.productId}>
              <span>
                {line.quantity} × {line.name}
              </span>
              <span>{formatPrice(line.lineTotal)}</span>
            </li>
          ))}
        </ul>
        <QuoteTotals quote={quote} reload={quote.reload} withSubtotal testId="checkout" />
        {error && <PlaceOrderError error={error} />}
        <button type="submit" className="button button-primary button-block" disabled={placing}>
          {placing ? 'Placing your order…' : error ? 'Try again' : 'Place order'}
        </button>
        <p className="muted small">Prices and shipping are confirmed by the shop when you place the order.</p>
      </aside>
    </form>
  )
}

function PlaceOrderError({ error }: { error: ApiError }) {
  const shortages = Array.isArray(error.problem.shortages)
    ? (error.problem.shortages as { productId: string; requested: number; available: number }[])
    : []
  return (
    <>
      <ErrorMessage
        error={error}
        title={error.status === 0 ? 'We could not place your order' : error.title}
      />
      {shortages.length > 0 && (
        <ul className="shortages">
          {shortages.map((shortage) => (
            <li key={shortage.productId}>
              {shortage.productId}: {shortage.available} left, you asked for {shortage.requested}
            </li>
          ))}
        </ul>
      )}
    </>
  )
}
