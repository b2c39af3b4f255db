import { Type, type Static } from '@shop/contracts/typebox'
import type { ProblemKind } from '@shop/contracts'

// From the CommonJS module: importing 'node:http' as an ES module loads Node's own undici (see
// @shop/tracing's server-spans.ts).
const { STATUS_CODES } = process.getBuiltinModule('node:http')

export const PROBLEM_CONTENT_TYPE = 'application/problem+json'

/** RFC 9457 problem details, as every service answers errors. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String({
      description: 'URI naming the kind of problem; about:blank when the status says it all',
    }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    requestId: Type.String(),
    instance: Type.Optional(Type.String()),
  },
  { $id: 'Problem', additionalProperties: true, description: 'RFC 9457 problem details' },
)
export type Problem = Static<typeof ProblemSchema> & Record<string, unknown>

/** Builds the `type` URI of a problem kind (contracts' PROBLEM_TYPES), e.g. problemType('insufficient-stock'). */
export function problemType(slug: ProblemKind): string {
  return `urn:shop:problem:${slug}`
}

/**
 * An error that becomes a problem+json answer with its status. Throw it from a route or the domain;
 * `extensions` become extra members of the problem (for example the products that are short).
 */
export class ProblemError extends Error {
  readonly status: number
  readonly title: string
  readonly type: string
  readonly extensions: Record<string, unknown>

  constructor(
    status: number,
    detail: string,
    options: { title?: string; type?: string; extensions?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(detail, { cause: options.cause })
    this.name = 'ProblemError'
    this.status = status
    this.title = options.title ?? STATUS_CODES[status] ?? 'Error'
    this.type = options.type ?? 'about:blank'
    this.extensions = options.extensions ?? {}
  }
}

export function statusTitle(status: number): string {
  return STATUS_CODES[status] ?? 'Error'
}
