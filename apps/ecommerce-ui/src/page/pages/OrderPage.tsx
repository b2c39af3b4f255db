import { useEffect, useRef } from 'react'
import { Link, useLocation, useParams } from 'react-router'
import { api } from '../api/client'
import type { Order } from '../api/types'
import { useApi } from '../api/useApi'
import { SHIPPING_METHOD_NAMES } from '../constants'
import { ErrorMessage } from '../components/ErrorMessage'
import { Loading } from '../components/Loading'
import { PageTitle } from '../components/PageTitle'
import { formatDateTime, formatPrice } from '../format'

/** One order; right after checkout, its confirmation. */
export function OrderPage() {
  const { id = '' } = useParams()
  const placed = Boolean((useLocation().state as { placed?: boolean } | null)?.placed)
  const order = useApi((signal) => api.get<Order>(`/api/orders/${encodeURIComponent(id)}`, signal), [id])
  const thanks = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (placed && order.state === 'ready') thanks.current?.focus()
  }, [placed, order.state])

  if (order.state === 'loading') return <Loading label="Loading your order…" />
  if (order.state === 'error')
    return (
      <div>
        <PageTitle>Order</PageTitle>
        <ErrorMessage
          error={order.error}
          title={order.error.status === 404 ? 'We could not find this order' : 'We could not load this order'}
          onRetry={order.error.status === 404 ? undefined : order.reload}
        />
        <Link to="/orders">All your orders</Link>
      </div>
    )
  const { data } = order
  const address = data.address
  return (
    <article className="order">
      {placed && (
        <div
          className="notice notice-success"
          role="status"
          tabIndex={-1}
          ref={thanks}
          data-testid="order-placed"
        >
          <p className="notice-title">Thank you! Your order is placed.</p>
          <p>
            We will ship it {SHIPPING_METHOD_NAMES[data.shippingMethod]?.toLowerCase() ?? data.shippingMethod}
            ; your tracking number is <span className="mono">{data.trackingNumber}</span>.
          </p>
        </div>
      )}
      <PageTitle title={`Order ${data.id}`}>{`Order ${data.id}`}</PageTitle>
      <p className="muted">
        Placed {formatDateTime(data.createdAt)} ·{' '}
        <span className={`status status-${data.status}`}>{data.status}</span>
      </p>
      <div className="order-layout">
        <section className="panel" aria-labelledby="items-heading">
          <h2 id="items-heading">Items</h2>
          <ul className="summary-lines">
            {data.items.map((line) => (
              <li key={line.productId}>
                <span>
                  {line.quantity} × <Link to={`/products/${line.productId}`}>{line.name}</Link>
                </span>
                <span>{formatPrice(line.lineTotal)}</span>
              </li>
            ))}
          </ul>
          <dl className="totals">
            <dt>Subtotal</dt>
            <dd>{formatPrice(data.subtotal)}</dd>
            <dt>Shipping ({SHIPPING_METHOD_NAMES[data.shippingMethod] ?? data.shippingMethod})</dt>
            <dd>{data.shippingFee === 0 ? 'Free' : formatPrice(data.shippingFee)}</dd>
            <dt className="total">Total</dt>
            <dd className="total" data-testid="order-total">
              {formatPrice(data.total)}
            </dd>
          </dl>
        </section>
        <section className="panel" aria-labelledby="delivery-heading">
          <h2 id="delivery-heading">Delivery</h2>
          <address>
            {address.line1}
            <br />
            {address.line2 && (
              <>
                {address.line2}
                <br />
              </>
            )}
            {address.postalCode} {address.city}
            {address.region && `, ${address.region}`}
            <br />
            {address.country}
          </address>
          <p>
            Tracking number <span className="mono">{data.trackingNumber}</span>
          </p>
        </section>
      </div>
      <p>
        <Link to="/orders">All your orders</Link> · <Link to="/support">Questions? Contact support</Link>
      </p>
    </article>
  )
}
