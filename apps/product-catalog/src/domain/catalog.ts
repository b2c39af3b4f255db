import type { CatalogProduct } from '@shop/catalog-data'
import type { CategorySummary, ProductSort } from '@shop/contracts'

/** What a catalog listing asks for. Both versions answer it the same way, apart from v2's rating. */
export interface ProductQuery {
  category?: string | undefined
  /** Case-insensitive text searched in the name and the description. */
  search?: string | undefined
  /** Only these ids (the order service asks for the products of a cart at once). */
  ids?: string[] | undefined
  sort: ProductSort
  page: number
  pageSize: number
}

/** A product as the catalog keeps it (the initial stock belongs to the inventory). */
export type CatalogItem = Omit<CatalogProduct, 'initialStock'>

export interface ProductListing {
  items: CatalogItem[]
  total: number
}

/** Where products come from: memory in v1, MongoDB in v2. */
export interface CatalogStore {
  list(query: ProductQuery): Promise<ProductListing>
  get(id: string): Promise<CatalogItem | undefined>
  countByCategory(): Promise<Map<string, number>>
}

export function matchesQuery(product: CatalogItem, query: ProductQuery): boolean {
  if (query.category && product.category !== query.category) return false
  if (query.ids && !query.ids.includes(product.id)) return false
  if (query.search) {
    const needle = query.search.toLowerCase()
    return product.name.toLowerCase().includes(needle) || product.description.toLowerCase().includes(needle)
  }
  return true
}

/**
 * Sort keys in priority order, each ending with the id so that pages never overlap or skip. Strings
 * compare by code unit, as MongoDB compares them without a collation.
 */
export const SORT_KEYS: Record<
  ProductSort,
  [keyof CatalogItem | 'rating.average' | 'rating.count', 1 | -1][]
> = {
  name: [
    ['name', 1],
    ['id', 1],
  ],
  'price-asc': [
    ['price', 1],
    ['id', 1],
  ],
  'price-desc': [
    ['price', -1],
    ['id', 1],
  ],
  newest: [
    ['addedOn', -1],
    ['id', 1],
  ],
  rating: [
    ['rating.average', -1],
    ['rating.count', -1],
    ['id', 1],
  ],
}

export function compareProducts(sort: ProductSort): (a: CatalogItem, b: CatalogItem) => number {
  const keys = SORT_KEYS[sort]
  return (a, b) => {
    for (const [key, direction] of keys) {
      const left = valueAt(a, key)
      const right = valueAt(b, key)
      if (left < right) return -direction
      if (left > right) return direction
    }
    return 0
  }
}

function valueAt(product: CatalogItem, key: string): string | number {
  if (key === 'rating.average') return product.rating.average
  if (key === 'rating.count') return product.rating.count
  return product[key as keyof CatalogItem] as string | number
}

export function summarizeCategories(
  categories: readonly { id: string; name: string; description: string }[],
  counts: Map<string, number>,
): CategorySummary[] {
  return categories.map((category) => ({ ...category, productCount: counts.get(category.id) ?? 0 }))
}
