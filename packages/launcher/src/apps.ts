/** The shop's apps as they run locally (docs/architecture.md#1-the-system-at-a-glance), a port per v2. */
export interface AppDefinition {
  name: string
  port: number
  /** The variable through which the other apps find this one (none for the UI). */
  urlVariable?: string
  /** Port for a second instance running as v2, when the app has a v2. */
  v2Port?: number
}

export const APPS: readonly AppDefinition[] = [
  { name: 'product-catalog', port: 3001, urlVariable: 'PRODUCT_CATALOG_URL', v2Port: 3011 },
  { name: 'product-inventory', port: 3002, urlVariable: 'PRODUCT_INVENTORY_URL' },
  { name: 'profile-management', port: 3003, urlVariable: 'PROFILE_MANAGEMENT_URL' },
  { name: 'shipping-and-handling', port: 8080, urlVariable: 'SHIPPING_AND_HANDLING_URL' },
  { name: 'contact-support-team', port: 8000, urlVariable: 'CONTACT_SUPPORT_TEAM_URL' },
  { name: 'order-management', port: 9090, urlVariable: 'ORDER_MANAGEMENT_URL', v2Port: 9091 },
  { name: 'ecommerce-ui', port: 4000 },
]
