export { Cents, Currency, ListOf, ProductId } from './common.js'
export {
  CategoryList,
  CategorySummary,
  Product,
  PRODUCT_SORTS_V1,
  PRODUCT_SORTS_V2,
  ProductPage,
  ProductWithRating,
  Rating,
  type ProductSort,
} from './product.js'
