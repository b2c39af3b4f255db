import { MongoClient } from 'mongodb'
import { describe, expect, it } from 'vitest'
import { products } from '@shop/catalog-data'
import { mongoUri, startApp, uniqueDatabaseName } from '@shop/test-support'

describe('product-catalog v2 seeding', () => {
  it('two instances starting at once seed the catalog once, and a restart changes nothing', async () => {
    const uri = await mongoUri()
    const database = uniqueDatabaseName('catalog_seed')
    const env = { SERVICE_VERSION: 'v2', MONGODB_URI: uri, MONGODB_DATABASE: database }

    const instances = await Promise.all([
      startApp('product-catalog', { env }),
      startApp('product-catalog', { env }),
    ])
    const client = new MongoClient(uri)
    try {
      const collection = client.db(database).collection('products')
      expect(await collection.countDocuments()).toBe(products.length)
      const ids = (await collection.find({}, { projection: { _id: 1 } }).toArray()).map((doc) => doc._id)
      expect(new Set(ids).size).toBe(products.length)
      for (const instance of instances) {
        const page = (await (await fetch(`${instance.url}/api/products?pageSize=100`)).json()) as {
          total: number
        }
        expect(page.total).toBe(products.length)
      }
      await Promise.all(instances.map((instance) => instance.stop()))

      const again = await startApp('product-catalog', { env })
      expect(await collection.countDocuments()).toBe(products.length)
      expect(await again.stop()).toBe(0)
    } finally {
      await client.db(database).dropDatabase()
      await client.close()
    }
  })

  it('refuses to start as v2 without a database', async () => {
    await expect(startApp('product-catalog', { env: { SERVICE_VERSION: 'v2' } })).rejects.toThrow(
      /MONGODB_URI or MONGODB_HOST is required for SERVICE_VERSION v2/,
    )
  })
})
