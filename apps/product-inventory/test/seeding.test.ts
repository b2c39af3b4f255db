import { describe, expect, it } from 'vitest'
import { products } from '@shop/catalog-data'
import { startApp, testDatabase } from '@shop/test-support'
import { startInventory, stockSnapshot } from './helpers.js'

describe('product-inventory seeding', () => {
  it('two instances starting at once on a fresh database seed each product exactly once; a restart changes nothing', async () => {
    const database = await testDatabase('inventory_seed')
    try {
      const instances = await Promise.all([startInventory(database.env), startInventory(database.env)])
      const movements = database.db.collection('stock_movements')
      const entries = await movements.find({}).toArray()
      expect(entries).toHaveLength(products.length)
      for (const product of products)
        expect(entries.filter((entry) => entry.productId === product.id)).toEqual([
          expect.objectContaining({
            seq: 0,
            reason: 'initial',
            change: product.initialStock,
            availableAfter: product.initialStock,
          }),
        ])
      const expected = Object.fromEntries(products.map((product) => [product.id, product.initialStock]))
      for (const instance of instances) expect(await stockSnapshot(instance)).toEqual(expected)
      expect(await Promise.all(instances.map((instance) => instance.stop()))).toEqual([0, 0])

      const again = await startInventory(database.env)
      expect(await movements.countDocuments()).toBe(products.length)
      expect(await again.stop()).toBe(0)
    } finally {
      await database.drop()
    }
  })

  it('refuses to start without a database, naming the setting', async () => {
    await expect(startApp('product-inventory')).rejects.toThrow(/MONGODB_URI or MONGODB_HOST is required/)
  })
})
