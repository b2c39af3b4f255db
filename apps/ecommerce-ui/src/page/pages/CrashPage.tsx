import { useRouteError } from 'react-router'

/**
 * What a bug in the page itself shows instead of a blank screen. It stands outside the layout (which
 * may be what failed), so it brings its own way back.
 */
export function CrashPage() {
  const error = useRouteError()
  console.error(error)
  return (
    <main className="site-main narrow" id="main">
      <h1>Something went wrong</h1>
      <div className="notice notice-error" role="alert">
        <p className="notice-title">This page stopped working.</p>
        <p>{error instanceof Error ? error.message : 'An unexpected error occurred.'}</p>
      </div>
      <p>
        <a href="/" className="button button-primary">
          Back to the catalog
        </a>
      </p>
    </main>
  )
}
