import type { ProblemKind } from '@shop/contracts'
import { ProblemError, problemType } from '@shop/service-kit'

/** A problem that tells the client when to try again: answered with a `Retry-After` header. */
export class RetryLaterError extends ProblemError {
  constructor(
    status: 409 | 503,
    detail: string,
    options: { title: string; slug: ProblemKind; retryAfterSeconds: number },
  ) {
    super(status, detail, {
      title: options.title,
      type: problemType(options.slug),
      extensions: { retryAfter: options.retryAfterSeconds },
    })
  }

  get retryAfterSeconds(): number {
    return this.extensions.retryAfter as number
  }
}
