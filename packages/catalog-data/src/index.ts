import { fileURLToPath } from 'node:url'

export { categories, type Category } from './categories.js'
export { products, type CatalogProduct } from './products.js'

/** Folder holding `<product id>.svg` for every product, served at /images/products/. */
export const productImagesDir = fileURLToPath(new URL('../images/products/', import.meta.url))
