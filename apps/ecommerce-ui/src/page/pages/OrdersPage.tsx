import { Link } from 'react-router'
import { api } from '../api/client'
import type { List, Order } from '../api/types'
import { useApi } from '../api/useApi'
import { ErrorMessage } from '../components/ErrorMessage'
import { Loading } from '../components/Loading'
import { PageTitle } from '../components/PageTitle'
import { formatDateTime, formatPrice, plural } from '../format'

export function OrdersPage() {
  const orders = useApi((signal) => api.get<List<Order>>('/api/orders', signal), [])
  return (
    <div>
      <PageTitle>Your orders</PageTitle>
      {orders.state === 'loading' && <Loading label="Loading your orders…" />}
      {orders.state === 'error' && (
        <ErrorMessage error={orders.error} title="We could not load your orders" onRetry={orders.reload} />
      )}
      {orders.state === 'ready' && orders.data.items.length === 0 && (
        <div className="empty">
          <p>You have not ordered anything yet.</p>
          <Link to="/" className="button button-primary">
            Browse the catalog
          </Link>
        </div>
      )}
      {orders.state === 'ready' && orders.data.items.length > 0 && (
        <ul className="order-list">
          {orders.data.items.map((order) => (
            <li key={order.id} className="card order-row" data-testid="order-row">
              <Link to={`/orders/${order.id}`} className="order-row-link">
                Order <span className="mono">{order.id}</span>
              </Link>
              <span className="muted">{formatDateTime(order.createdAt)}</span>
              <span>
                {plural(
                  order.items.reduce((sum, line) => sum + line.quantity, 0),
                  'item',
                )}
              </span>
              <span className={`status status-${order.status}`}>{order.status}</span>
              <span className="price">{formatPrice(order.total)}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
