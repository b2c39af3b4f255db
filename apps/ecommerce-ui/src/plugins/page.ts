import { existsSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance, FastifySchema } from 'fastify'
import { productImagesDir } from '@shop/catalog-data'

/** Where `vite build` writes the page (dist/public next to this compiled file's folder). */
export const pageDir = fileURLToPath(new URL('../public/', import.meta.url))

const YEAR_SECONDS = 31_536_000

/**
 * Serves the built page: hashed assets cached for a year (a new build has new names), index.html
 * revalidated on every load (so a deploy is picked up at once), the product pictures, and index.html
 * for every client route (`/products/aurora-wireless-headphones` is a page, not a file).
 */
export async function registerPage(app: FastifyInstance): Promise<void> {
  if (!existsSync(`${pageDir}index.html`))
    throw new Error(
      `The page is not built (no ${pageDir}index.html): run npm run build -w @shop/ecommerce-ui`,
    )

  await app.register(fastifyStatic, {
    root: `${pageDir}assets`,
    prefix: '/assets/',
    decorateReply: false,
    index: false,
    preCompressed: true,
    cacheControl: false,
    setHeaders: (reply) => reply.header('cache-control', `public, max-age=${YEAR_SECONDS}, immutable`),
  })
  await app.register(fastifyStatic, {
    root: productImagesDir,
    prefix: '/images/products/',
    decorateReply: false,
    index: false,
    maxAge: '1d',
  })
  // The other files of the page's root (index.html, the icon), sent by the route below.
  await app.register(fastifyStatic, { root: pageDir, serve: false, preCompressed: true })
  const rootFiles = new Set(
    readdirSync(pageDir, { withFileTypes: true })
      .filter((entry) => entry.isFile() && !/\.(gz|br)$/.test(entry.name) && entry.name !== 'index.html')
      .map((entry) => entry.name),
  )

  app.get(
    '/*',
    { schema: { hide: true } as FastifySchema, config: { fallback: true } },
    async (request, reply) => {
      const path = request.url.split('?')[0]!
      // Not a page: the kit's answer for an unknown route (405 naming the path's methods, if it has any).
      if (path.startsWith('/api/')) return reply.callNotFound()
      const name = path.slice(1)
      if (rootFiles.has(name)) return reply.sendFile(name, { maxAge: '1d' })
      reply.header('cache-control', 'no-cache')
      return reply.sendFile('index.html', { cacheControl: false })
    },
  )
}
