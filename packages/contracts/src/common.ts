import { Type, type TSchema } from './typebox.js'

/** Lists answer `{ items, total }`. */
export function ListOf<Item extends TSchema>(item: Item, description?: string) {
  return Type.Object(
    {
      items: Type.Array(item),
      total: Type.Integer({ minimum: 0, description: 'Number of matching items in all pages' }),
    },
    description ? { description } : {},
  )
}

/** Money is an integer number of minor units (cents) with a currency code. */
export const Cents = Type.Integer({ minimum: 0, description: 'Amount in minor units (cents)' })
export const Currency = Type.Literal('USD')

/** Product ids are lowercase slugs, the same in every service. */
export const ProductId = Type.String({
  pattern: '^[a-z0-9][a-z0-9-]{0,79}$',
  description: 'Product id (slug)',
})
