import { Type, type Static } from './typebox.js'

/**
 * A US address or destination needs a ZIP code (94103 or 94103-1234). Stated in the schema, not only in
 * shipping's rules, so every OpenAPI document says it and a schema-valid body is never refused for it.
 */
export const usZipCodeRule = {
  if: { properties: { country: { const: 'US' } }, required: ['country'] },
  // `type` again: without it, Ajv's strict mode printed a warning (plain text, amid the JSON logs) for
  // every schema holding this rule, at every start.
  then: { properties: { postalCode: { type: 'string', pattern: '^ *[0-9]{5}(-[0-9]{4})? *$' } } },
}

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
  { additionalProperties: false, ...usZipCodeRule },
)
export type Address = Static<typeof Address>
