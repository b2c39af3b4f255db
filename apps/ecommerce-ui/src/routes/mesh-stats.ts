import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { problemResponses, Type } from '@shop/service-kit'
import { Upstream } from '@shop/service-kit/upstream'

const VersionSplit = Type.Object({
  version: Type.String(),
  requests: Type.Integer(),
  share: Type.Number({ description: 'Share of the service’s requests this version answered, 0..1' }),
  errors: Type.Integer(),
  errorRate: Type.Number(),
  p50: Type.Number(),
  p95: Type.Number(),
  p99: Type.Number(),
})
const ServiceSplit = Type.Object({
  service: Type.String(),
  requests: Type.Integer(),
  errors: Type.Integer(),
  errorRate: Type.Number(),
  versions: Type.Array(VersionSplit),
})
const MeshStats = Type.Object({
  configured: Type.Boolean({ description: 'false: LOADGEN_URL is not set on this BFF' }),
  elapsedSeconds: Type.Optional(Type.Number()),
  requests: Type.Optional(Type.Integer()),
  services: Type.Optional(Type.Array(ServiceSplit, { description: 'Since the load run started' })),
  recent: Type.Optional(Type.Array(ServiceSplit, { description: 'The last report interval alone' })),
  verdicts: Type.Optional(
    Type.Array(Type.Object({ expectation: Type.String(), passed: Type.Boolean(), detail: Type.String() })),
  ),
})

interface LoadgenStats {
  elapsedSeconds: number
  requests: number
  services: unknown[]
  recent: { services: unknown[] } | null
  verdicts?: unknown[]
}

/**
 * What the load generator measures of the mesh (the split between versions, error rates), for the
 * page at /mesh: a learner without Kiali still sees a canary move.
 */
export const meshStatsRoutes: FastifyPluginAsyncTypebox<{
  loadgenUrl: string | undefined
  timeoutMs: number
}> = async (app, { loadgenUrl, timeoutMs }) => {
  const loadgen = loadgenUrl ? new Upstream('loadgen', loadgenUrl, timeoutMs) : undefined
  app.get(
    '/api/mesh/stats',
    {
      schema: {
        tags: ['mesh'],
        summary:
          'The live split between service versions and their error rates, as the load generator sees them',
        response: { 200: MeshStats, ...problemResponses(502, 504) },
      },
    },
    async () => {
      if (!loadgen) return { configured: false }
      const { body } = await loadgen.call<LoadgenStats>('/api/stats')
      return {
        configured: true,
        elapsedSeconds: body.elapsedSeconds,
        requests: body.requests,
        services: body.services as never,
        recent: (body.recent?.services ?? []) as never,
        verdicts: (body.verdicts ?? []) as never,
      }
    },
  )
}
