import type { CatalogProduct } from '@shop/catalog-data'
import {
  compareProducts,
  matchesQuery,
  type CatalogItem,
  type CatalogStore,
  type ProductListing,
  type ProductQuery,
} from '../domain/catalog.js'

/** v1: the built-in catalog, held in memory. */
export class MemoryCatalog implements CatalogStore {
  private readonly byId: Map<string, CatalogProduct>

  constructor(private readonly products: readonly CatalogProduct[]) {
    this.byId = new Map(products.map((product) => [product.id, product]))
  }

  async list(query: ProductQuery): Promise<ProductListing> {
    const matching = this.products
      .filter((product) => matchesQuery(product, query))
      .sort(compareProducts(query.sort))
    const start = (query.page - 1) * query.pageSize
    return { items: matching.slice(start, start + query.pageSize), total: matching.length }
  }

  async get(id: string): Promise<CatalogItem | undefined> {
    return this.byId.get(id)
  }

  async countByCategory(): Promise<Map<string, number>> {
    const counts = new Map<string, number>()
    for (const product of this.products) counts.set(product.category, (counts.get(product.category) ?? 0) + 1)
    return counts
  }
}
