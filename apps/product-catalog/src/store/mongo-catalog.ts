import type { CatalogProduct } from '@shop/catalog-data'
import { ensureIndexes, isDuplicateKeyError } from '@shop/service-kit'
import type { Collection, Db, Filter, MongoBulkWriteError } from 'mongodb'
import {
  SORT_KEYS,
  type CatalogItem,
  type CatalogStore,
  type ProductListing,
  type ProductQuery,
} from '../domain/catalog.js'

type ProductDocument = CatalogItem & { _id: string }

/** v2: products in MongoDB, seeded from the built-in catalog. */
export class MongoCatalog implements CatalogStore {
  private readonly products: Collection<ProductDocument>

  constructor(db: Db) {
    this.products = db.collection<ProductDocument>('products')
  }

  /**
   * Creates the indexes and inserts every built-in product that is not there yet. Safe when several
   * instances start at once: inserts keyed by the product id either land or fail as duplicates.
   */
  async setUp(seed: readonly CatalogProduct[]): Promise<void> {
    await ensureIndexes(this.products, [
      { key: { category: 1, name: 1 } },
      { key: { price: 1 } },
      { key: { addedOn: -1 } },
      { key: { 'rating.average': -1, 'rating.count': -1 } },
    ])
    const documents = seed.map(({ initialStock: _stock, ...product }) => ({ _id: product.id, ...product }))
    try {
      await this.products.insertMany(documents, { ordered: false })
    } catch (error) {
      if (!onlyDuplicates(error)) throw error
    }
  }

  /**
   * One query when the page itself tells the total: a page that is not full is the last one, so the
   * total is what came before it plus what it holds (a category's page, a search, the last page). Only
   * a full page needs the count, sent alongside. FerretDB has neither $facet nor $push to do both in
   * one aggregation.
   */
  async list(query: ProductQuery): Promise<ProductListing> {
    const filter = toFilter(query)
    const skip = (query.page - 1) * query.pageSize
    const items = await this.products
      .find(filter)
      .sort(SORT_KEYS[query.sort].map(([key, direction]) => [key, direction] as [string, 1 | -1]))
      .skip(skip)
      .limit(query.pageSize)
      .toArray()
    const total =
      items.length > 0 && items.length < query.pageSize
        ? skip + items.length
        : await this.products.countDocuments(filter)
    return { items: items.map(withoutId), total }
  }

  async get(id: string): Promise<CatalogItem | undefined> {
    const product = await this.products.findOne({ _id: id })
    return product ? withoutId(product) : undefined
  }

  async countByCategory(): Promise<Map<string, number>> {
    const groups = await this.products
      .aggregate<{ _id: string; count: number }>([{ $group: { _id: '$category', count: { $sum: 1 } } }])
      .toArray()
    return new Map(groups.map((group) => [group._id, group.count]))
  }
}

function toFilter(query: ProductQuery): Filter<ProductDocument> {
  const filter: Filter<ProductDocument> = {}
  if (query.category) filter.category = query.category
  if (query.ids) filter._id = { $in: query.ids }
  if (query.search) {
    const pattern = { $regex: escapeRegExp(query.search), $options: 'i' }
    filter.$or = [{ name: pattern }, { description: pattern }]
  }
  return filter
}

function withoutId({ _id: _, ...product }: ProductDocument): CatalogItem {
  return product
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

function onlyDuplicates(error: unknown): boolean {
  const writeErrors = (error as Partial<MongoBulkWriteError>).writeErrors
  if (!writeErrors) return isDuplicateKeyError(error)
  const list = Array.isArray(writeErrors) ? writeErrors : [writeErrors]
  return list.every((writeError) => writeError.code === 11000)
}
