import { useMemo, useSyncExternalStore } from 'react'

/** What one call to the BFF reported: which versions served it, its request id and trace. */
export interface CallReport {
  /** The page (history entry) the call was made for: the router's location key. */
  page: string
  method: string
  path: string
  status: number
  /** `ecommerce-ui/v1`, `product-catalog/v2`, ... */
  servedBy: string[]
  requestId: string | undefined
  traceUrl: string | undefined
}

interface MeshState {
  calls: CallReport[]
  canary: boolean
}

export interface MeshView {
  /** The calls made for the page on screen. */
  calls: CallReport[]
  /** Every version that served the page on screen, each once, in the order they first answered. */
  servedBy: string[]
  canary: boolean
}

const CANARY_KEY = 'shop.canary'
const MAX_CALLS = 50
let state: MeshState = { calls: [], canary: readCanary() }
const listeners = new Set<() => void>()

function publish(next: MeshState): void {
  state = next
  for (const listener of listeners) listener()
}

function readCanary(): boolean {
  try {
    return localStorage.getItem(CANARY_KEY) === 'true'
  } catch {
    return false
  }
}

/**
 * The calls of the recent pages, each tagged with the page it was made for: the history entry current
 * when it started (React Router keeps the location key in history.state). A navigation changes the
 * entry before the new page's effects run, so each call counts for the page that made it.
 */
export const mesh = {
  currentPage: (): string => (window.history.state as { key?: string } | null)?.key ?? 'default',
  report(call: CallReport): void {
    publish({ ...state, calls: [...state.calls, call].slice(-MAX_CALLS) })
  },
  /** The value of the `x-canary` header the page sends, when the person opted into the canary. */
  // `v2`: what the mesh's tester route (istio/canary) matches exactly.
  canary: (): string | undefined => (state.canary ? 'v2' : undefined),
  setCanary(on: boolean): void {
    try {
      localStorage.setItem(CANARY_KEY, String(on))
    } catch {
      // Private browsing without storage: the choice lasts until the page reloads.
    }
    publish({ ...state, canary: on })
  },
}

/** The calls of one page (a location key) and the versions that served them. */
export function useMesh(page: string): MeshView {
  const { calls, canary } = useSyncExternalStore(
    (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    () => state,
  )
  return useMemo(() => {
    const own = calls.filter((call) => call.page === page)
    return { calls: own, servedBy: [...new Set(own.flatMap((call) => call.servedBy))], canary }
  }, [calls, canary, page])
}

/** `product-catalog/v2` -> `v2`, from the versions that served a call. */
export function versionOf(service: string, servedBy: string[]): string | undefined {
  return servedBy.find((entry) => entry.startsWith(`${service}/`))?.slice(service.length + 1)
}
