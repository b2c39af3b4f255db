import type { ApiError } from '../api/client'

interface Props {
  error: ApiError
  /** Replaces the problem's title, e.g. "We could not load the catalog". */
  title?: string
  onRetry?: () => void
}

/** A failure as the person should see it: what happened, what to do, and the id to quote to support. */
export function ErrorMessage({ error, title, onRetry }: Props) {
  return (
    <div className="notice notice-error" role="alert" data-testid="error-message">
      <p className="notice-title">{title ?? error.title}</p>
      <p>{error.detail}</p>
      {error.requestId && (
        <p className="notice-meta">
          Request id <code data-testid="error-request-id">{error.requestId}</code>
          {error.traceUrl && (
            <>
              {' · '}
              <a href={error.traceUrl} target="_blank" rel="noreferrer">
                view the trace
              </a>
            </>
          )}
        </p>
      )}
      {onRetry && (
        <button type="button" className="button button-secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  )
}
