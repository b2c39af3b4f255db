import { useState, type FormEvent } from 'react'
import { Link, useLocation, useNavigate, useParams } from 'react-router'
import { api } from '../api/client'
import type { InventoryItem, List, ShippingQuote, ShopProduct } from '../api/types'
import { asApiError, useApi } from '../api/useApi'
import type { ApiError } from '../api/client'
import { ErrorMessage } from '../components/ErrorMessage'
import { Loading } from '../components/Loading'
import { PageTitle } from '../components/PageTitle'
import { Stars } from '../components/Stars'
import { COUNTRIES, DEFAULT_DESTINATION, SHIPPING_METHOD_NAMES } from '../constants'
import { formatDay, formatPrice } from '../format'
import { useSession } from '../session'

export function ProductPage() {
  const { id = '' } = useParams()
  const product = useApi(
    (signal) => api.get<ShopProduct>(`/api/products/${encodeURIComponent(id)}`, signal),
    [id],
  )

  if (product.state === 'loading') return <Loading label="Loading the product…" />
  if (product.state === 'error')
    return (
      <div>
        <PageTitle>{product.error.status === 404 ? 'Product not found' : 'Product unavailable'}</PageTitle>
        <ErrorMessage
          error={product.error}
          title={
            product.error.status === 404 ? 'We could not find this product' : 'We could not load this product'
          }
          onRetry={product.error.status === 404 ? undefined : product.reload}
        />
        <Link to="/">Back to the catalog</Link>
      </div>
    )
  return <ProductDetails product={product.data} />
}

function ProductDetails({ product }: { product: ShopProduct }) {
  const availability = useApi(
    (signal) => api.get<InventoryItem>(`/api/inventory/${product.id}`, signal),
    [product.id],
  )
  return (
    <article className="product">
      <p className="breadcrumbs">
        <Link to={`/?category=${product.category}`}>← Back to the catalog</Link>
      </p>
      <div className="product-layout">
        <img className="product-image" src={product.image} alt={product.name} width={640} height={480} />
        <div className="product-info">
          <PageTitle>{product.name}</PageTitle>
          {product.rating && <Stars rating={product.rating} />}
          <p className="product-price price">{formatPrice(product.price)}</p>
          <p className="product-description">{product.description}</p>
          <section aria-labelledby="availability-heading" className="panel">
            <h2 id="availability-heading" className="visually-hidden">
              Availability
            </h2>
            {availability.state === 'loading' && <Loading label="Checking availability…" />}
            {availability.state === 'error' && (
              <ErrorMessage
                error={availability.error}
                title="We could not check availability"
                onRetry={availability.reload}
              />
            )}
            {availability.state === 'ready' && (
              <>
                <Availability available={availability.data.available} />
                <AddToCart product={product} available={availability.data.available} />
              </>
            )}
          </section>
          <ShippingEstimate product={product} />
        </div>
      </div>
    </article>
  )
}

function Availability({ available }: { available: number }) {
  const [text, tone] =
    available === 0
      ? ['Out of stock', 'out']
      : available <= 10
        ? [`Only ${available} left`, 'low']
        : ['In stock', 'in']
  return (
    <p className={`availability availability-${tone}`} data-testid="availability">
      {text}
    </p>
  )
}

function AddToCart({ product, available }: { product: ShopProduct; available: number }) {
  const session = useSession()
  const navigate = useNavigate()
  const location = useLocation()
  const [quantity, setQuantity] = useState(1)
  // Back from signing in to add this product: say how that went.
  const notice = (location.state as { notice?: 'added' | 'not-added' } | null)?.notice
  const [state, setState] = useState<'idle' | 'adding' | 'added'>(notice === 'added' ? 'added' : 'idle')
  const [error, setError] = useState<ApiError>()
  const most = Math.min(10, available)

  const add = async (event: FormEvent) => {
    event.preventDefault()
    if (!session.user) {
      // The cart belongs to an account: sign in first, and the product is added on the way back.
      navigate('/signin', { state: { from: location.pathname, add: { productId: product.id, quantity } } })
      return
    }
    setState('adding')
    setError(undefined)
    try {
      await session.addToCart(product.id, quantity)
      setState('added')
    } catch (failure) {
      setError(asApiError(failure))
      setState('idle')
    }
  }

  if (available === 0) return <p className="muted">We will restock soon.</p>
  return (
    <form className="add-to-cart" onSubmit={add}>
      <label className="field field-inline">
        <span>Quantity</span>
        <select
          value={quantity}
          onChange={(event) => setQuantity(Number(event.target.value))}
          data-testid="quantity"
        >
          {Array.from({ length: most }, (_, index) => index + 1).map((count) => (
            <option key={count} value={count}>
              {count}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="button button-primary" disabled={state === 'adding'}>
        {state === 'adding' ? 'Adding…' : 'Add to cart'}
      </button>
      <p role="status" className="add-status">
        {state === 'added' && (
          <>
            Added to your cart. <Link to="/cart">View cart</Link>
          </>
        )}
      </p>
      {notice === 'not-added' && state === 'idle' && (
        <p className="notice notice-info">
          You are signed in, but we could not add the product: please try again.
        </p>
      )}
      {!session.user && (
        <p className="muted small">You will be asked to sign in: your cart is kept in your account.</p>
      )}
      {error && <ErrorMessage error={error} title="We could not add this to your cart" />}
    </form>
  )
}

function ShippingEstimate({ product }: { product: ShopProduct }) {
  const { user } = useSession()
  const home = user?.address
    ? { country: user.address.country, postalCode: user.address.postalCode }
    : DEFAULT_DESTINATION
  const [destination, setDestination] = useState(home)
  const [draft, setDraft] = useState(home)
  const quotes = useApi(
    () =>
      api.post<List<ShippingQuote>>('/api/shipping/quote', {
        items: [
          {
            productId: product.id,
            quantity: 1,
            weightGrams: product.weightGrams,
            category: product.category,
          },
        ],
        destination,
      }),
    [product.id, destination.country, destination.postalCode],
  )

  return (
    <section className="panel" aria-labelledby="shipping-heading">
      <h2 id="shipping-heading">Shipping estimate</h2>
      <form
        className="destination"
        onSubmit={(event) => {
          event.preventDefault()
          setDestination({ country: draft.country, postalCode: draft.postalCode.trim() })
        }}
      >
        <label className="field field-inline">
          <span>Country</span>
          <select
            value={draft.country}
            onChange={(event) => {
              const country = event.target.value
              setDraft((current) => ({ ...current, country }))
            }}
          >
            {COUNTRIES.map(([code, name]) => (
              <option key={code} value={code}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label className="field field-inline">
          <span>Postal code</span>
          <input
            value={draft.postalCode}
            onChange={(event) => {
              const postalCode = event.target.value
              setDraft((current) => ({ ...current, postalCode }))
            }}
            required
            minLength={2}
            maxLength={12}
            pattern="[A-Za-z0-9 \-]+"
            size={8}
          />
        </label>
        <button type="submit" className="button button-secondary">
          Update
        </button>
      </form>
      {quotes.state === 'loading' && <Loading label="Estimating shipping…" />}
      {quotes.state === 'error' && (
        <ErrorMessage error={quotes.error} title="We could not estimate shipping" onRetry={quotes.reload} />
      )}
      {quotes.state === 'ready' && (
        <table className="table" data-testid="shipping-estimate">
          <caption className="visually-hidden">Shipping options for one unit</caption>
          <thead>
            <tr>
              <th scope="col">Method</th>
              <th scope="col">Fee</th>
              <th scope="col">Arrives</th>
            </tr>
          </thead>
          <tbody>
            {quotes.data.items.map((quote) => (
              <tr key={quote.method}>
                <th scope="row">{SHIPPING_METHOD_NAMES[quote.method] ?? quote.method}</th>
                <td>{quote.fee === 0 ? 'Free' : formatPrice(quote.fee)}</td>
                <td>
                  {formatDay(quote.estimatedDelivery.earliest)}
                  {quote.estimatedDelivery.latest !== quote.estimatedDelivery.earliest &&
                    ` – ${formatDay(quote.estimatedDelivery.latest)}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
