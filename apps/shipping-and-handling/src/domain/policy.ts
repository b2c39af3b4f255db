import type { ShippingPolicy } from '@shop/contracts'
import { usd } from './fees.js'
import {
  CATEGORY_HANDLING,
  HEAVY_ITEM_GRAMS,
  HEAVY_ITEM_SURCHARGE,
  METHODS,
  REMOTE_AREA_EXTRA_DAYS,
  REMOTE_AREA_SURCHARGE,
  REMOTE_ZIP_PREFIXES,
  type DayRange,
} from './methods.js'

const UPDATED_ON = '2026-11-01'
const RETURN_DAYS = 30

/**
 * The policy the shop shows, written from the same tables the fees are computed with, so what a
 * person reads is what a quote charges.
 */
export function shippingPolicy(): ShippingPolicy {
  return {
    title: 'Shipping and returns',
    updatedOn: UPDATED_ON,
    sections: [
      {
        heading: 'Shipping methods and delivery times',
        body: METHODS.map(
          (method) =>
            `${method.name}: ${days(method.domestic.days)} within the US, ` +
            `${days(method.international.days)} to other countries.`,
        ).join(' '),
      },
      {
        heading: 'How the fee is computed',
        body: [
          'Each shipment pays the base fee of its method, plus a rate for every started kilogram of the ' +
            'total weight of its items (2.1 kg counts as 3 kg).',
          ...METHODS.map(
            (method) =>
              `${method.name}: ${usd(method.domestic.baseFee)} + ${usd(method.domestic.perKg)}/kg within the US, ` +
              `${usd(method.international.baseFee)} + ${usd(method.international.perKg)}/kg abroad.`,
          ),
          'Some items need extra packing or care, charged per unit: ' +
            Object.entries(CATEGORY_HANDLING)
              .map(([category, handling]) => `${category} ${usd(handling.perUnit)} (${handling.reason})`)
              .join(', ') +
            '. Other categories have no handling charge.',
          `Every unit weighing ${HEAVY_ITEM_GRAMS / 1000} kg or more adds ${usd(HEAVY_ITEM_SURCHARGE)}.`,
          'The fee depends only on the items, the destination and the method, never on the order value: ' +
            'the same cart to the same place always costs the same, and the quote you see is what you pay. ' +
            'Each quote lists how its fee adds up.',
        ].join(' '),
      },
      {
        heading: 'Alaska, Hawaii and US territories',
        body:
          `ZIP codes starting with ${REMOTE_ZIP_PREFIXES.join(', ')} (Alaska, Hawaii, Guam and the Pacific ` +
          `islands, Puerto Rico and the US Virgin Islands) add ${usd(REMOTE_AREA_SURCHARGE)} per shipment and ` +
          `take ${REMOTE_AREA_EXTRA_DAYS.min} to ${REMOTE_AREA_EXTRA_DAYS.max} business days longer. ` +
          'US addresses need a five-digit ZIP code (or ZIP+4).',
      },
      {
        heading: 'International shipping',
        body:
          'Any address outside the US (country other than US) ships at the international rates above. ' +
          'Import duties and taxes are charged by the destination country on delivery and are not included.',
      },
      {
        heading: 'Delivery estimates and tracking',
        body:
          'Delivery dates count business days, Monday to Friday, from the day the order is placed (UTC); ' +
          'weekends are skipped, so one business day after a Friday is the Monday. Public holidays may add ' +
          'a day. Every shipment has a tracking number (SH followed by 10 letters and digits): the label is ' +
          'created when you order, the parcel is in transit once collected, out for delivery on the morning ' +
          'of the delivery day and delivered by the evening.',
      },
      {
        heading: 'Returns',
        body:
          `You may return unused items in their original packaging within ${RETURN_DAYS} days of delivery. ` +
          'Open a support ticket with your order number to get a return label. Return shipping is free when ' +
          'an item arrived damaged, faulty or was not what you ordered; otherwise the Standard fee of the ' +
          'return is deducted from the refund. Refunds go to the original payment method within 5 business ' +
          'days of the return reaching us. Shipping fees of the original order are refunded only for ' +
          'damaged, faulty or wrong items.',
      },
    ],
  }
}

function days(range: DayRange): string {
  if (range.min === range.max) return `${range.min} business day${range.min === 1 ? '' : 's'}`
  return `${range.min} to ${range.max} business days`
}
