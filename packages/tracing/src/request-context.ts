import type { Context } from '@opentelemetry/api'

/**
 * The OpenTelemetry context a request's work runs in, kept as a chain of the values set on it back
 * to an empty root. The API's own context copies its whole Map on every `setValue`, through
 * `new Map(iterable)`, which V8 runs in its generic path: a request's three values (forwarded
 * headers, span, route holder) cost the catalog about 8,700 instructions a request, a tenth of what
 * tracing adds (packages/bench/README.md). A chain makes `setValue` one small object; `getValue`
 * walks it, a few links deep at most.
 */
class ChainedContext implements Context {
  constructor(
    private readonly parent: ChainedContext | undefined,
    private readonly key: symbol | undefined,
    private readonly value: unknown,
  ) {}

  getValue(key: symbol): unknown {
    if (this.key === key) return this.value
    for (let link = this.parent; link; link = link.parent) {
      if (link.key === key) return link.value
    }
    return undefined
  }

  setValue(key: symbol, value: unknown): Context {
    return new ChainedContext(this, key, value)
  }

  deleteValue(key: symbol): Context {
    // Unset is what `getValue` answers for a key never set.
    return new ChainedContext(this, key, undefined)
  }
}

/** An empty context, to build a request's context on. */
export const EMPTY_REQUEST_CONTEXT: Context = new ChainedContext(undefined, undefined, undefined)
