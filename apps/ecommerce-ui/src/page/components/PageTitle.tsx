import { useEffect } from 'react'

/** The page's heading, also set as the document title (what a screen reader announces on arrival). */
export function PageTitle({ children, title }: { children: string; title?: string }) {
  useEffect(() => {
    document.title = `${title ?? children} · Mesh Shop`
  }, [children, title])
  return <h1>{children}</h1>
}
