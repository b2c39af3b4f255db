import { ProblemError, type ServiceApp } from '@shop/service-kit'

/** Served for the operators and Prometheus inside the cluster, never for the public. */
const INTERNAL_PATHS = /^\/(metrics|openapi\.json|docs)(\/|\?|$)/

/**
 * The ingress routes `/` to this BFF, so `/metrics`, `/docs` and `/openapi.json` would be public.
 * A request that came through the ingress gateway always carries `X-Forwarded-For` (Envoy with
 * `use_remote_address: true`, as Istio configures gateways, adds the client's address); in-cluster
 * callers (Prometheus via the sidecar's metrics merging, kubelet probes, a port-forward) send none.
 * So such a request for an internal path answers 404, as if the path did not exist.
 */
export function hideInternalEndpoints(app: ServiceApp): void {
  app.addHook('onRequest', async (request) => {
    if (!INTERNAL_PATHS.test(request.url)) return
    const headers = request.headers
    if (headers['x-forwarded-for'] || headers.forwarded || headers['x-envoy-external-address'])
      throw new ProblemError(404, `No route ${request.method} ${request.url.split('?')[0]}`)
  })
}
