import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callJson, mongoUri, startApp, uniqueDatabaseName, type StartedApp } from '@shop/test-support'

interface Product {
  id: string
  name: string
  category: string
  price: number
  currency: string
  image: string
  addedOn: string
  rating?: { average: number; count: number }
}
interface Page {
  items: Product[]
  total: number
  page: number
  pageSize: number
  sort: string
}

function get<T>(app: StartedApp, path: string) {
  return callJson<T>(`${app.url}${path}`)
}

const withoutRating = ({ rating: _rating, ...product }: Product) => product

describe('product-catalog', () => {
  let v1: StartedApp
  let v2: StartedApp

  beforeAll(async () => {
    const uri = await mongoUri()
    ;[v1, v2] = await Promise.all([
      startApp('product-catalog'),
      startApp('product-catalog', {
        env: { SERVICE_VERSION: 'v2', MONGODB_URI: uri, MONGODB_DATABASE: uniqueDatabaseName('catalog') },
      }),
    ])
  })

  afterAll(async () => {
    await Promise.all([v1?.stop(), v2?.stop()])
  })

  it('v1 serves the built-in catalog: at least 24 products in at least 6 categories', async () => {
    const { status, headers, body } = await get<Page>(v1, '/api/products?pageSize=100')
    expect(status).toBe(200)
    expect(headers.get('x-served-by')).toBe('product-catalog/v1')
    expect(body.total).toBeGreaterThanOrEqual(24)
    expect(body.items).toHaveLength(body.total)
    expect(new Set(body.items.map((product) => product.category)).size).toBeGreaterThanOrEqual(6)
    for (const product of body.items) {
      expect(product).not.toHaveProperty('rating')
      expect(Number.isInteger(product.price)).toBe(true)
      expect(product.currency).toBe('USD')
    }
    const categories = await get<{ items: { id: string; productCount: number }[]; total: number }>(
      v1,
      '/api/categories',
    )
    expect(categories.body.total).toBeGreaterThanOrEqual(6)
    expect(categories.body.items.reduce((sum, category) => sum + category.productCount, 0)).toBe(body.total)
  })

  it('serves an image for every product, from the shop itself', async () => {
    const { body } = await get<Page>(v1, '/api/products?pageSize=100')
    for (const product of body.items) {
      expect(product.image).toMatch(/^\/images\/products\/[a-z0-9-]+\.svg$/)
      const response = await fetch(`${v1.url}${product.image}`)
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toMatch(/^image\/svg\+xml/)
      expect(await response.text()).toContain('<svg')
    }
  })

  it('filters by category, searches text, and sorts by price', async () => {
    const audio = await get<Page>(v1, '/api/products?category=audio&pageSize=100')
    expect(audio.body.total).toBeGreaterThan(0)
    expect(audio.body.items.every((product) => product.category === 'audio')).toBe(true)

    const byName = await get<Page>(v1, '/api/products?q=COFFEE')
    expect(byName.body.items.map((product) => product.id)).toEqual(['pour-over-coffee-set'])
    const byDescription = await get<Page>(v1, '/api/products?q=Espresso')
    expect(byDescription.body.items.map((product) => product.id)).toEqual(['burr-coffee-grinder'])

    const cheapest = await get<Page>(v1, '/api/products?sort=price-asc&pageSize=100')
    const prices = cheapest.body.items.map((product) => product.price)
    expect(prices).toEqual([...prices].sort((a, b) => a - b))
    const dearest = await get<Page>(v1, '/api/products?sort=price-desc&pageSize=100')
    expect(dearest.body.items[0]!.price).toBe(Math.max(...prices))
  })

  it('paginates without overlaps or gaps', async () => {
    const all = await get<Page>(v1, '/api/products?sort=newest&pageSize=100')
    const pages: string[] = []
    for (let page = 1; page <= Math.ceil(all.body.total / 7); page++) {
      const { body } = await get<Page>(v1, `/api/products?sort=newest&pageSize=7&page=${page}`)
      expect(body).toMatchObject({ page, pageSize: 7, total: all.body.total, sort: 'newest' })
      pages.push(...body.items.map((product) => product.id))
    }
    expect(pages).toEqual(all.body.items.map((product) => product.id))
    const beyond = await get<Page>(v1, '/api/products?page=99')
    expect(beyond.body).toMatchObject({ items: [], total: all.body.total })
  })

  it('answers bad queries and unknown ids with problems', async () => {
    for (const query of [
      'page=0',
      'pageSize=101',
      'sort=cheapest',
      'category=Not%20A%20Slug',
      'sort=rating',
    ]) {
      const { status, body } = await get<{ status: number; detail: string }>(v1, `/api/products?${query}`)
      expect(status, query).toBe(400)
      expect(body.status).toBe(400)
    }
    const missing = await get<{ title: string; requestId: string }>(v1, '/api/products/no-such-thing')
    expect(missing.status).toBe(404)
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    expect(missing.body.title).toBe('Product not found')
    expect(missing.body.requestId).toBe(missing.headers.get('x-request-id'))
  })

  it('v2 answers the same queries with the same products, adding ratings', async () => {
    const queries = [
      '/api/products?pageSize=100',
      '/api/products?category=outdoor',
      '/api/products?q=the&sort=price-desc',
      '/api/products?sort=newest&page=2&pageSize=5',
      '/api/products?q=nothing-matches-this',
      '/api/products?ids=cast-iron-skillet,foam-roller,no-such-id&sort=price-asc',
      '/api/products/studio-monitor-pair',
      '/api/categories',
    ]
    for (const query of queries) {
      const [one, two] = await Promise.all([get<Page & Product>(v1, query), get<Page & Product>(v2, query)])
      expect(two.status, query).toBe(200)
      expect(two.headers.get('x-served-by')).toBe('product-catalog/v2')
      if ('items' in two.body && two.body.items[0] && 'price' in two.body.items[0]) {
        for (const product of two.body.items)
          expect(product.rating, query).toMatchObject({ average: expect.any(Number) })
        expect({ ...two.body, items: two.body.items.map(withoutRating) }, query).toEqual(one.body)
      } else if ('price' in two.body) {
        expect(two.body.rating).toBeDefined()
        expect(withoutRating(two.body)).toEqual(one.body)
      } else {
        expect(two.body, query).toEqual(one.body)
      }
    }
  })

  it('v2 sorts by rating, best first', async () => {
    const { status, body } = await get<Page>(v2, '/api/products?sort=rating&pageSize=100')
    expect(status).toBe(200)
    const averages = body.items.map((product) => product.rating!.average)
    expect(averages).toEqual([...averages].sort((a, b) => b - a))
    expect(body.sort).toBe('rating')
  })

  it('v2 documents ratings in its OpenAPI; v1 does not', async () => {
    const [one, two] = await Promise.all([
      get<{ paths: Record<string, unknown> }>(v1, '/openapi.json'),
      get<{ paths: Record<string, unknown> }>(v2, '/openapi.json'),
    ])
    expect(JSON.stringify(two.body.paths['/api/products'])).toContain('"rating"')
    expect(JSON.stringify(one.body.paths['/api/products'])).not.toContain('"rating"')
  })
})
