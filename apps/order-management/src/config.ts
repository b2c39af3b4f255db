import { appConfigProperties, loadConfig } from '@shop/service-kit'
import { Type, type Static } from '@shop/contracts/typebox'

export const ConfigSchema = Type.Object({
  ...appConfigProperties('order-management', { database: true, upstreamTimeout: true }),
  /**
   * Timeout of the calls to product-inventory: longer than its RESERVATION_TIMEOUT_MS (10 s), after
   * which a reservation answers a decision (reserved or refused) however busy the product is, so a
   * crowd of buyers gets "sold out", never "could not confirm".
   */
  INVENTORY_TIMEOUT_MS: Type.Integer({ minimum: 50, maximum: 60_000, default: 12_000 }),
  /**
   * How long a checkout owns its order before a retry of its key or the reconciler may settle it: longer
   * than the checkout's own calls can take (four of UPSTREAM_TIMEOUT_MS and one of INVENTORY_TIMEOUT_MS).
   */
  CHECKOUT_LEASE_MS: Type.Integer({ minimum: 500, maximum: 600_000, default: 30_000 }),
  /** How long a repeat of an Idempotency-Key waits for the attempt in progress before answering 409. */
  CHECKOUT_WAIT_MS: Type.Integer({ minimum: 0, maximum: 60_000, default: 2_000 }),
  /** How often each instance settles checkouts whose lease ended (it also does at start-up). */
  RECONCILE_INTERVAL_MS: Type.Integer({ minimum: 100, maximum: 600_000, default: 15_000 }),
})
export type Config = Static<typeof ConfigSchema>

export function loadAppConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return loadConfig(ConfigSchema, env)
}
