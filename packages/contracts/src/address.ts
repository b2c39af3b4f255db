import { Type, type Static } from 'typebox'

/** A postal address, as users enter it and shipments carry it. */
export const Address = Type.Object(
  {
    line1: Type.String({ minLength: 1, maxLength: 120 }),
    line2: Type.Optional(Type.String({ maxLength: 120 })),
    city: Type.String({ minLength: 1, maxLength: 80 }),
    region: Type.Optional(Type.String({ maxLength: 80, description: 'State, province or county' })),
    postalCode: Type.String({ minLength: 2, maxLength: 12, pattern: '^[A-Za-z0-9 -]+$' }),
    country: Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2 code, e.g. US' }),
  },
  { additionalProperties: false },
)
export type Address = Static<typeof Address>
