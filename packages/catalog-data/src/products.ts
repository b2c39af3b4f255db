export interface CatalogProduct {
  /** Stable across versions and services: the catalog, inventory, orders and shipping all use it. */
  id: string
  name: string
  description: string
  category: string
  /** Integer cents. */
  price: number
  currency: 'USD'
  /** Path served by the shop (product-catalog and the UI both serve /images/products/*). */
  image: string
  weightGrams: number
  /** ISO date the product joined the catalog; the "newest" sort uses it. */
  addedOn: string
  /** Shown by product-catalog v2 only. */
  rating: { average: number; count: number }
  /** Stock product-inventory starts with on its first start. */
  initialStock: number
}

type ProductData = Omit<CatalogProduct, 'currency' | 'image'>

// prettier-ignore
const data: ProductData[] = [
  // Audio
  { id: 'aurora-wireless-headphones', name: 'Aurora Wireless Headphones', category: 'audio', price: 19900, weightGrams: 310, addedOn: '2025-09-02', rating: { average: 4.6, count: 412 }, initialStock: 40,
    description: 'Over-ear headphones with adaptive noise cancelling, 40-hour battery and a fold-flat case.' },
  { id: 'pebble-bluetooth-speaker', name: 'Pebble Bluetooth Speaker', category: 'audio', price: 5900, weightGrams: 540, addedOn: '2025-04-18', rating: { average: 4.2, count: 268 }, initialStock: 60,
    description: 'A palm-sized waterproof speaker with a surprisingly deep bass and a 12-hour battery.' },
  { id: 'studio-monitor-pair', name: 'Studio Monitor Pair', category: 'audio', price: 34900, weightGrams: 9200, addedOn: '2024-11-30', rating: { average: 4.8, count: 97 }, initialStock: 8,
    description: 'Two 5-inch active monitors with a flat response for mixing, podcasting and honest listening.' },
  { id: 'commuter-earbuds', name: 'Commuter Earbuds', category: 'audio', price: 8900, weightGrams: 55, addedOn: '2026-02-11', rating: { average: 3.9, count: 533 }, initialStock: 120,
    description: 'True wireless earbuds with a transparency mode for crossings and a pocketable charging case.' },
  { id: 'vinyl-turntable', name: 'Belt-Drive Turntable', category: 'audio', price: 27900, weightGrams: 5400, addedOn: '2025-06-07', rating: { average: 4.4, count: 74 }, initialStock: 5,
    description: 'A quiet belt-drive turntable with a built-in phono stage and a pre-balanced tonearm.' },

  // Computing
  { id: 'tenkeyless-mechanical-keyboard', name: 'Tenkeyless Mechanical Keyboard', category: 'computing', price: 12900, weightGrams: 780, addedOn: '2025-08-21', rating: { average: 4.7, count: 389 }, initialStock: 35,
    description: 'Hot-swappable tactile switches, PBT keycaps and a detachable USB-C cable.' },
  { id: 'ergonomic-vertical-mouse', name: 'Ergonomic Vertical Mouse', category: 'computing', price: 4900, weightGrams: 125, addedOn: '2025-01-15', rating: { average: 4.1, count: 611 }, initialStock: 80,
    description: 'A 57-degree grip that keeps the wrist neutral through a long day of clicking.' },
  { id: 'usb-c-docking-station', name: 'USB-C Docking Station', category: 'computing', price: 15900, weightGrams: 420, addedOn: '2026-01-09', rating: { average: 4.0, count: 158 }, initialStock: 25,
    description: 'Two displays, gigabit Ethernet, four USB ports and 96 W charging through one cable.' },
  { id: 'portable-ssd-1tb', name: 'Portable SSD 1 TB', category: 'computing', price: 10900, weightGrams: 58, addedOn: '2025-10-27', rating: { average: 4.5, count: 720 }, initialStock: 90,
    description: 'A shock-resistant 1 TB drive that reads at 1,050 MB/s and fits in a coin pocket.' },
  { id: 'aluminium-laptop-stand', name: 'Aluminium Laptop Stand', category: 'computing', price: 3900, weightGrams: 890, addedOn: '2024-09-12', rating: { average: 4.3, count: 245 }, initialStock: 3,
    description: 'Raises the screen to eye level in six steps and folds flat into a laptop sleeve.' },

  // Home & Kitchen
  { id: 'pour-over-coffee-set', name: 'Pour-Over Coffee Set', category: 'home', price: 4500, weightGrams: 1100, addedOn: '2025-03-03', rating: { average: 4.6, count: 301 }, initialStock: 45,
    description: 'A glass dripper, a 600 ml carafe and 100 filters for a clean, bright cup.' },
  { id: 'cast-iron-skillet', name: 'Cast Iron Skillet 26 cm', category: 'home', price: 3900, weightGrams: 2600, addedOn: '2024-12-01', rating: { average: 4.8, count: 842 }, initialStock: 50,
    description: 'Pre-seasoned, oven-safe and ready to outlive its owner with a little oil now and then.' },
  { id: 'burr-coffee-grinder', name: 'Conical Burr Grinder', category: 'home', price: 12900, weightGrams: 2900, addedOn: '2025-11-14', rating: { average: 4.4, count: 133 }, initialStock: 12,
    description: 'Forty grind settings, from espresso fine to French press coarse, with a quiet motor.' },
  { id: 'linen-throw-blanket', name: 'Linen Throw Blanket', category: 'home', price: 7900, weightGrams: 950, addedOn: '2025-07-19', rating: { average: 4.2, count: 88 }, initialStock: 30,
    description: 'Stonewashed European linen that gets softer with every wash.' },
  { id: 'smart-desk-lamp', name: 'Smart Desk Lamp', category: 'home', price: 6900, weightGrams: 1300, addedOn: '2026-03-02', rating: { average: 3.8, count: 190 }, initialStock: 40,
    description: 'Adjustable colour temperature, a flicker-free LED and a schedule that follows daylight.' },

  // Outdoor
  { id: 'ultralight-tent-2p', name: 'Ultralight Tent (2 person)', category: 'outdoor', price: 32900, weightGrams: 1250, addedOn: '2025-05-10', rating: { average: 4.7, count: 156 }, initialStock: 10,
    description: 'A freestanding double-wall tent that packs to the size of a water bottle.' },
  { id: 'trail-running-vest', name: 'Trail Running Vest', category: 'outdoor', price: 11900, weightGrams: 240, addedOn: '2025-12-04', rating: { average: 4.3, count: 77 }, initialStock: 25,
    description: 'Twelve litres, two soft flasks and a fit that does not bounce on the descents.' },
  { id: 'insulated-water-bottle', name: 'Insulated Water Bottle 750 ml', category: 'outdoor', price: 3200, weightGrams: 380, addedOn: '2024-08-22', rating: { average: 4.5, count: 1024 }, initialStock: 150,
    description: 'Keeps drinks cold for 24 hours or hot for 12, with a leak-proof lid.' },
  { id: 'headlamp-400', name: 'Rechargeable Headlamp 400 lm', category: 'outdoor', price: 4400, weightGrams: 86, addedOn: '2025-02-27', rating: { average: 4.4, count: 342 }, initialStock: 70,
    description: 'A red night mode, a lock-out switch and USB-C charging for long nights in the hills.' },
  { id: 'down-sleeping-bag', name: 'Down Sleeping Bag -5 °C', category: 'outdoor', price: 28900, weightGrams: 980, addedOn: '2025-10-01', rating: { average: 4.6, count: 64 }, initialStock: 6,
    description: 'Responsibly sourced 800-fill down in a mummy cut with a draft collar.' },

  // Fitness
  { id: 'adjustable-dumbbells', name: 'Adjustable Dumbbells (pair)', category: 'fitness', price: 29900, weightGrams: 24000, addedOn: '2025-01-28', rating: { average: 4.5, count: 219 }, initialStock: 7,
    description: 'From 2 to 24 kg each with a turn of the dial, in the floor space of one pair.' },
  { id: 'cork-yoga-mat', name: 'Cork Yoga Mat', category: 'fitness', price: 6900, weightGrams: 2100, addedOn: '2025-06-30', rating: { average: 4.3, count: 187 }, initialStock: 55,
    description: 'Natural cork on a rubber base: grippy when you sweat, and it does not smell of plastic.' },
  { id: 'gps-sport-watch', name: 'GPS Sport Watch', category: 'fitness', price: 24900, weightGrams: 52, addedOn: '2026-04-16', rating: { average: 4.1, count: 403 }, initialStock: 30,
    description: 'Dual-band GPS, wrist heart rate and a two-week battery for training that adds up.' },
  { id: 'speed-jump-rope', name: 'Speed Jump Rope', category: 'fitness', price: 1900, weightGrams: 180, addedOn: '2024-10-05', rating: { average: 4.0, count: 512 }, initialStock: 200,
    description: 'Ball-bearing handles and an adjustable steel cable for double-unders.' },
  { id: 'foam-roller', name: 'High-Density Foam Roller', category: 'fitness', price: 2900, weightGrams: 700, addedOn: '2025-09-19', rating: { average: 4.2, count: 266 }, initialStock: 75,
    description: 'A firm 45 cm roller with a textured surface for recovery after hard sessions.' },

  // Books
  { id: 'service-mesh-field-guide', name: 'The Service Mesh Field Guide', category: 'books', price: 4200, weightGrams: 620, addedOn: '2025-11-03', rating: { average: 4.9, count: 58 }, initialStock: 20,
    description: 'Sidecars, mTLS, traffic shifting and outlier detection, explained with real incidents.' },
  { id: 'distributed-tracing-in-practice', name: 'Distributed Tracing in Practice', category: 'books', price: 3900, weightGrams: 540, addedOn: '2024-07-14', rating: { average: 4.5, count: 141 }, initialStock: 25,
    description: 'How to instrument, propagate context and find the slow span in a sea of services.' },
  { id: 'kubernetes-patterns-handbook', name: 'Kubernetes Patterns Handbook', category: 'books', price: 4900, weightGrams: 710, addedOn: '2025-03-21', rating: { average: 4.4, count: 203 }, initialStock: 18,
    description: 'Probes, rollouts, resource limits and the other patterns that keep clusters boring.' },
  { id: 'site-reliability-notebook', name: 'Site Reliability Notebook', category: 'books', price: 3400, weightGrams: 480, addedOn: '2026-01-22', rating: { average: 4.2, count: 96 }, initialStock: 22,
    description: 'Error budgets, alerting on symptoms and writing postmortems people actually read.' },
  { id: 'designing-data-systems', name: 'Designing Data Systems', category: 'books', price: 5400, weightGrams: 900, addedOn: '2024-05-09', rating: { average: 4.8, count: 677 }, initialStock: 2,
    description: 'Replication, partitioning and the trade-offs behind every database you will ever use.' },
]

/** The built-in catalog: 30 products in 6 categories, in a fixed order. */
export const products: readonly CatalogProduct[] = data.map((product) => ({
  ...product,
  currency: 'USD',
  image: `/images/products/${product.id}.svg`,
}))
