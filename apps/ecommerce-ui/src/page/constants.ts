/** Where estimates go until the person says otherwise (or has an address in their profile). */
export const DEFAULT_DESTINATION = { country: 'US', postalCode: '94103' }

/** The countries the shop ships to, by ISO 3166-1 alpha-2 code. */
export const COUNTRIES = [
  ['US', 'United States'],
  ['CA', 'Canada'],
  ['GB', 'United Kingdom'],
  ['DE', 'Germany'],
  ['FR', 'France'],
  ['NL', 'Netherlands'],
  ['AU', 'Australia'],
  ['JP', 'Japan'],
] as const

export const SHIPPING_METHOD_NAMES: Record<string, string> = {
  standard: 'Standard',
  express: 'Express',
  overnight: 'Overnight',
}
