import { Cents, ShippingQuote } from '@shop/contracts'
import { Type } from '@shop/service-kit'

/** A line of a fee's explanation; the lines add up to the fee. */
export const FeeItem = Type.Object({ label: Type.String(), amount: Cents })

/** The shared quote shape, plus how its fee adds up, so a person can check it against the policy. */
export const QuoteWithBreakdown = Type.Object({
  ...ShippingQuote.properties,
  breakdown: Type.Array(FeeItem, { description: 'How the fee adds up; the amounts sum to `fee`' }),
})
