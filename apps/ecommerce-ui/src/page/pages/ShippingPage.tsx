import { api } from '../api/client'
import type { List, ShippingMethod, ShippingPolicy } from '../api/types'
import { useApi } from '../api/useApi'
import { ErrorMessage } from '../components/ErrorMessage'
import { Loading } from '../components/Loading'
import { PageTitle } from '../components/PageTitle'
import { formatBusinessDays, formatDay, formatPrice } from '../format'

export function ShippingPage() {
  const methods = useApi((signal) => api.get<List<ShippingMethod>>('/api/shipping/methods', signal), [])
  const policy = useApi((signal) => api.get<ShippingPolicy>('/api/shipping/policy', signal), [])
  return (
    <div>
      <PageTitle>Shipping</PageTitle>
      <section aria-labelledby="methods-heading">
        <h2 id="methods-heading">Methods</h2>
        {methods.state === 'loading' && <Loading label="Loading the shipping methods…" />}
        {methods.state === 'error' && (
          <ErrorMessage
            error={methods.error}
            title="We could not load the shipping methods"
            onRetry={methods.reload}
          />
        )}
        {methods.state === 'ready' && (
          <ul className="method-grid" data-testid="shipping-methods">
            {methods.data.items.map((method) => (
              <li key={method.id} className="card method-card">
                <h3>{method.name}</h3>
                <p>{method.description}</p>
                <p className="muted">
                  {formatBusinessDays(method.businessDays)} · from {formatPrice(method.baseFee)}
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="policy-heading" className="policy">
        {policy.state === 'loading' && <Loading label="Loading the policy…" />}
        {policy.state === 'error' && (
          <ErrorMessage
            error={policy.error}
            title="We could not load the shipping policy"
            onRetry={policy.reload}
          />
        )}
        {policy.state === 'ready' && (
          <>
            <h2 id="policy-heading">{policy.data.title}</h2>
            <p className="muted">Updated {formatDay(policy.data.updatedOn)}</p>
            {policy.data.sections.map((section) => (
              <div key={section.heading} data-testid="policy-section">
                <h3>{section.heading}</h3>
                <p>{section.body}</p>
              </div>
            ))}
          </>
        )}
      </section>
    </div>
  )
}
