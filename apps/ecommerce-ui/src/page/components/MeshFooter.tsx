import { useLocation } from 'react-router'
import { mesh, useMesh } from '../api/mesh'

/**
 * Which service versions served this page and the id of its last request, linked to its trace when
 * the shop knows where Jaeger is. During a canary, reloading shows the split at work.
 */
export function MeshFooter() {
  const { calls, servedBy, canary } = useMesh(useLocation().key)
  const last = calls.at(-1)
  return (
    <footer className="site-footer">
      <div className="site-footer-inner">
        <p className="served-by">
          <span className="served-by-label">Served by</span>{' '}
          <span data-testid="served-by">
            {servedBy.length ? servedBy.map((entry) => entry.replace('/', ' ')).join(' · ') : '…'}
          </span>
        </p>
        {last?.requestId && (
          <p className="request-id">
            Request id{' '}
            {last.traceUrl ? (
              <a
                href={last.traceUrl}
                target="_blank"
                rel="noreferrer"
                data-testid="request-id"
                title="Open the trace in Jaeger"
              >
                {last.requestId}
              </a>
            ) : (
              <code data-testid="request-id">{last.requestId}</code>
            )}
          </p>
        )}
        <details className="mesh-details">
          <summary>Requests of this page ({calls.length})</summary>
          <ul>
            {calls.map((call, index) => (
              <li key={index}>
                <code>
                  {call.method} {call.path}
                </code>{' '}
                → {call.status} · {call.servedBy.join(', ')} ·{' '}
                {call.traceUrl ? (
                  <a href={call.traceUrl} target="_blank" rel="noreferrer">
                    {call.requestId}
                  </a>
                ) : (
                  <code>{call.requestId}</code>
                )}
              </li>
            ))}
          </ul>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={canary}
              onChange={(event) => mesh.setCanary(event.target.checked)}
            />
            Send my requests to the canary (adds <code>x-canary: v2</code>)
          </label>
        </details>
      </div>
    </footer>
  )
}
