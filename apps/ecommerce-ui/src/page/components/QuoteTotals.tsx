import type { CartQuote } from '../api/types'
import type { Loadable } from '../api/useApi'
import { formatDay, formatPrice, plural } from '../format'
import { ErrorMessage } from './ErrorMessage'
import { Loading } from './Loading'

/** A cart quote as the cart and the checkout show it: shipping, total and the delivery estimate. */
export function QuoteTotals({
  quote,
  reload,
  withSubtotal,
  testId,
}: {
  quote: Loadable<CartQuote | undefined>
  reload: () => void
  withSubtotal: boolean
  /** `quote` gives `quote` and `quote-total`; `checkout` gives `checkout-quote` and `checkout-total`. */
  testId: 'quote' | 'checkout'
}) {
  if (quote.state === 'loading') return <Loading label="Getting a quote…" />
  if (quote.state === 'error')
    return <ErrorMessage error={quote.error} title="We could not quote shipping" onRetry={reload} />
  if (!quote.data) return null
  const { itemCount, subtotal, shippingFee, total, estimatedDelivery } = quote.data
  return (
    <>
      <dl className="totals" data-testid={testId === 'quote' ? 'quote' : 'checkout-quote'}>
        {withSubtotal && (
          <>
            <dt>Subtotal ({plural(itemCount, 'item')})</dt>
            <dd>{formatPrice(subtotal)}</dd>
          </>
        )}
        <dt>Shipping</dt>
        <dd>{shippingFee === 0 ? 'Free' : formatPrice(shippingFee)}</dd>
        <dt className="total">Total</dt>
        <dd className="total" data-testid={`${testId}-total`}>
          {formatPrice(total)}
        </dd>
      </dl>
      <p className="muted delivery-estimate">
        Arrives {formatDay(estimatedDelivery.earliest)} – {formatDay(estimatedDelivery.latest)}
      </p>
    </>
  )
}
