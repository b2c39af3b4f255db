import { Type, type Static } from './typebox.js'
import { Cents, Currency, ListOf, ProductId } from './common.js'

export const Rating = Type.Object({
  average: Type.Number({ minimum: 0, maximum: 5, description: 'Average stars, 0 to 5' }),
  count: Type.Integer({ minimum: 0, description: 'Number of ratings' }),
})

const productProperties = {
  id: ProductId,
  name: Type.String(),
  description: Type.String(),
  category: Type.String({ description: 'Category id' }),
  price: Cents,
  currency: Currency,
  image: Type.String({ description: 'Path of the product picture, served by the shop' }),
  weightGrams: Type.Integer({ minimum: 0, description: 'Shipping weight' }),
  addedOn: Type.String({ format: 'date', description: 'Day the product joined the catalog' }),
}

/** A product as product-catalog v1 answers it. */
export const Product = Type.Object(productProperties)
export type Product = Static<typeof Product>

/** v2 adds the rating. */
export const ProductWithRating = Type.Object({ ...productProperties, rating: Rating })
export type ProductWithRating = Static<typeof ProductWithRating>

export const PRODUCT_SORTS_V1 = ['name', 'price-asc', 'price-desc', 'newest'] as const
export const PRODUCT_SORTS_V2 = [...PRODUCT_SORTS_V1, 'rating'] as const
export type ProductSort = (typeof PRODUCT_SORTS_V2)[number]

export const ProductPage = (item: typeof Product | typeof ProductWithRating) =>
  Type.Object({
    ...ListOf(item).properties,
    page: Type.Integer({ minimum: 1 }),
    pageSize: Type.Integer({ minimum: 1 }),
    sort: Type.String({ description: 'The sort applied' }),
  })
export interface ProductPage<Item = Product> {
  items: Item[]
  total: number
  page: number
  pageSize: number
  sort: ProductSort
}

export const CategorySummary = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  productCount: Type.Integer({ minimum: 0 }),
})
export type CategorySummary = Static<typeof CategorySummary>
export const CategoryList = ListOf(CategorySummary)
export type CategoryList = Static<typeof CategoryList>
