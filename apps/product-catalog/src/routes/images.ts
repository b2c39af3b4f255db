import fastifyStatic from '@fastify/static'
import type { FastifyInstance } from 'fastify'
import { productImagesDir } from '@shop/catalog-data'

/** The product pictures that ship with the catalog, at the paths the products name. */
export async function imageRoutes(app: FastifyInstance): Promise<void> {
  await app.register(fastifyStatic, {
    root: productImagesDir,
    prefix: '/images/products/',
    maxAge: '1d',
    index: false,
  })
}
