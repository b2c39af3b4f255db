import type { SupportInfo } from '@shop/contracts'

/** How and when the support desk answers, as the shop shows it. */
export const SUPPORT_INFO: SupportInfo = {
  hours: 'Monday to Friday, 9:00 to 17:00',
  timezone: 'America/New_York',
  email: 'support@service-mesh-shop.example',
  phone: '+1 555 010 0200',
  expectedResponseHours: 24,
  topics: [
    'Orders and delivery',
    'Returns and refunds',
    'Payments and invoices',
    'Account and sign-in',
    'Product questions',
    'Something else',
  ],
}
