import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Cents, ListOf, ShippingMethod } from '@shop/contracts'
import { Type } from '@shop/service-kit'
import { METHODS } from '../domain/methods.js'

const BusinessDays = Type.Object({ min: Type.Integer({ minimum: 0 }), max: Type.Integer({ minimum: 0 }) })

/** The shared method shape (domestic terms), plus the per-kg rate and the terms abroad. */
const MethodWithRates = Type.Object({
  ...ShippingMethod.properties,
  perKg: Type.Integer({
    minimum: 0,
    description: 'Cents per started kilogram of the total weight, within the US',
  }),
  international: Type.Object({ baseFee: Cents, perKg: Cents, businessDays: BusinessDays }),
})

export const methodRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const items = METHODS.map((method) => ({
    id: method.id,
    name: method.name,
    description: method.description,
    baseFee: method.domestic.baseFee,
    perKg: method.domestic.perKg,
    currency: 'USD' as const,
    businessDays: method.domestic.days,
    international: {
      baseFee: method.international.baseFee,
      perKg: method.international.perKg,
      businessDays: method.international.days,
    },
  }))

  app.get(
    '/api/shipping/methods',
    {
      schema: {
        tags: ['shipping'],
        summary:
          'The shipping methods, with their fees and delivery times (US terms; `international` abroad)',
        response: { 200: ListOf(MethodWithRates) },
      },
    },
    async () => ({ items, total: items.length }),
  )
}
