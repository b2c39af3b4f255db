import type { Product } from '@shop/contracts'
import type { Upstream } from '@shop/service-kit/upstream'

/** Products with their authoritative prices, weights and categories, from product-catalog. */
export class CatalogClient {
  constructor(private readonly upstream: Upstream) {}

  async productsByIds(ids: string[]): Promise<Map<string, Product>> {
    if (ids.length === 0) return new Map()
    const path = `/api/products?ids=${ids.join(',')}&pageSize=100`
    const answer = await this.upstream.call<{ items: Product[] }>(path)
    if (answer.status !== 200) throw this.upstream.unexpected(`GET ${path}`, answer)
    return new Map(answer.body.items.map((product) => [product.id, product]))
  }

  async product(id: string): Promise<Product | undefined> {
    const path = `/api/products/${id}`
    const answer = await this.upstream.call<Product>(path)
    if (answer.status === 404) return undefined
    if (answer.status !== 200) throw this.upstream.unexpected(`GET ${path}`, answer)
    return answer.body
  }
}
