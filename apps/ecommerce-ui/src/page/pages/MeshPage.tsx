import { useEffect } from 'react'
import { api } from '../api/client'
import { useApi } from '../api/useApi'
import { ErrorMessage } from '../components/ErrorMessage'
import { Loading } from '../components/Loading'
import { PageTitle } from '../components/PageTitle'

interface VersionSplit {
  version: string
  requests: number
  share: number
  errors: number
  errorRate: number
  p95: number
}
interface ServiceSplit {
  service: string
  requests: number
  errorRate: number
  versions: VersionSplit[]
}
interface MeshStats {
  configured: boolean
  elapsedSeconds?: number
  requests?: number
  services?: ServiceSplit[]
  recent?: ServiceSplit[]
  verdicts?: { expectation: string; passed: boolean; detail: string }[]
}

const REFRESH_MS = 2_000
const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`

/**
 * The mesh as the load generator sees it: per service, which versions answered and how often they
 * failed, refreshed every two seconds, so a canary's move shows without Kiali.
 */
export function MeshPage() {
  const stats = useApi((signal) => api.get<MeshStats>('/api/mesh/stats', signal), [])
  const { reload } = stats
  useEffect(() => {
    const timer = setInterval(reload, REFRESH_MS)
    return () => clearInterval(timer)
  }, [reload])
  const data = stats.latest

  return (
    <div>
      <PageTitle>The mesh, live</PageTitle>
      {!data && stats.state === 'loading' && <Loading label="Asking the load generator…" />}
      {stats.state === 'error' && (
        <ErrorMessage error={stats.error} title="We could not reach the load generator" onRetry={reload} />
      )}
      {data && !data.configured && (
        <p data-testid="mesh-no-loadgen">
          No load generator is configured: start one (<code>npm run load</code> does not serve stats; the
          loadgen service does) and set <code>LOADGEN_URL</code> on ecommerce-ui to its address.
        </p>
      )}
      {data?.configured && (
        <>
          <p className="muted">
            {data.requests} requests in {Math.round(data.elapsedSeconds ?? 0)} s. “Now” is the load
            generator’s last report interval; “total” is the whole run.
          </p>
          <SplitTable caption="Now" services={data.recent ?? []} testId="mesh-recent" />
          <SplitTable caption="Since the start" services={data.services ?? []} testId="mesh-total" />
          {data.verdicts && data.verdicts.length > 0 && (
            <section aria-labelledby="verdicts-heading">
              <h2 id="verdicts-heading">Expectations</h2>
              <ul data-testid="mesh-verdicts">
                {data.verdicts.map((verdict) => (
                  <li key={verdict.expectation}>
                    <strong>{verdict.passed ? 'PASS' : 'FAIL'}</strong> {verdict.expectation}:{' '}
                    {verdict.detail}
                  </li>
                ))}
              </ul>
            </section>
          )}
        </>
      )}
    </div>
  )
}

function SplitTable({
  caption,
  services,
  testId,
}: {
  caption: string
  services: ServiceSplit[]
  testId: string
}) {
  return (
    <table className="mesh-table" data-testid={testId}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">service</th>
          <th scope="col">version</th>
          <th scope="col">share</th>
          <th scope="col">requests</th>
          <th scope="col">error rate</th>
          <th scope="col">p95</th>
        </tr>
      </thead>
      <tbody>
        {services.length === 0 && (
          <tr>
            <td colSpan={6}>No requests yet.</td>
          </tr>
        )}
        {services.flatMap((service) =>
          service.versions.map((version) => (
            <tr key={`${service.service}/${version.version}`} data-testid="mesh-row">
              <td>{service.service}</td>
              <td>{version.version}</td>
              <td>
                <meter
                  min={0}
                  max={1}
                  value={version.share}
                  aria-label={`${service.service} ${version.version} share`}
                />{' '}
                {percent(version.share)}
              </td>
              <td>{version.requests}</td>
              <td>{percent(version.errorRate)}</td>
              <td>{version.p95} ms</td>
            </tr>
          )),
        )}
      </tbody>
    </table>
  )
}
