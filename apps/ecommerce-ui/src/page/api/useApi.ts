import { useCallback, useEffect, useEffectEvent, useState } from 'react'
import { ApiError } from './client'

export type Loadable<T> =
  | { state: 'loading'; data?: undefined; error?: undefined }
  | { state: 'ready'; data: T; error?: undefined }
  | { state: 'error'; data?: undefined; error: ApiError }

interface Keyed<T> {
  key: string
  value: Loadable<T>
}

/**
 * Loads data for a component: loading, then the data or the error (with its request id). A change of
 * `deps` or unmounting aborts the request in flight, so a late answer never overwrites a newer one.
 * `latest` is the last data that arrived for any deps, to keep on screen what it still describes.
 */
export function useApi<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: readonly (string | number | boolean | undefined)[],
): Loadable<T> & { latest: T | undefined; reload: () => void; setData: (data: T) => void } {
  const [attempt, setAttempt] = useState(0)
  const key = JSON.stringify([...deps, attempt])
  const [result, setResult] = useState<Keyed<T>>()
  const [latest, setLatest] = useState<T>()
  const loadNow = useEffectEvent(load)

  useEffect(() => {
    const controller = new AbortController()
    loadNow(controller.signal).then(
      (data) => {
        if (controller.signal.aborted) return
        setResult({ key, value: { state: 'ready', data } })
        setLatest(data)
      },
      (error: unknown) => {
        if (!controller.signal.aborted)
          setResult({ key, value: { state: 'error', error: asApiError(error) } })
      },
    )
    return () => controller.abort()
  }, [key])

  const reload = useCallback(() => setAttempt((count) => count + 1), [])
  const setData = useCallback(
    (data: T) => {
      setResult({ key, value: { state: 'ready', data } })
      setLatest(data)
    },
    [key],
  )
  // An answer for other deps than the current ones is not this load's: it is still loading.
  const current: Loadable<T> = result?.key === key ? result.value : { state: 'loading' }
  return { ...current, latest, reload, setData }
}

export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error
  return new ApiError(
    0,
    'Something went wrong',
    error instanceof Error ? error.message : String(error),
    undefined,
    undefined,
  )
}
