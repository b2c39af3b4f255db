export { Address } from './address.js'
export { Cents, Currency, ListOf, ProductId } from './common.js'
export {
  InventoryItem,
  InventoryList,
  MOVEMENT_REASONS,
  OrderId,
  Reservation,
  ReservationLine,
  ReservationRequest,
  Shortage,
  StockMovement,
  StockMovementList,
} from './inventory.js'
export {
  Cart,
  CartLine,
  CartLineUpdate,
  CartQuote,
  Order,
  OrderList,
  ORDER_STATUSES,
  PlaceOrderRequest,
} from './orders.js'
export {
  CategoryList,
  CategorySummary,
  Product,
  PRODUCT_SORTS_V1,
  PRODUCT_SORTS_V2,
  ProductPage,
  ProductWithRating,
  Rating,
  type ProductSort,
} from './product.js'
export {
  Email,
  Password,
  ProfileUpdate,
  Session,
  SignInRequest,
  SignUpRequest,
  TOKEN_ALGORITHM,
  TOKEN_AUDIENCE,
  TOKEN_ISSUER,
  User,
} from './profile.js'
export {
  Destination,
  QuoteList,
  QuoteRequest,
  Shipment,
  ShipmentCancellation,
  SHIPMENT_STATUSES,
  ShipmentRequest,
  SHIPPING_METHOD_IDS,
  ShippingLine,
  ShippingMethod,
  ShippingMethodId,
  ShippingMethodList,
  ShippingPolicy,
  ShippingQuote,
} from './shipping.js'
export {
  CROCKFORD_BASE32,
  SupportInfo,
  Ticket,
  TICKET_ID_RANDOM_CHARS,
  TicketId,
  TicketList,
  TicketRequest,
} from './support.js'
export {
  APP_NAMES,
  APPS,
  callsOf,
  clusterUrlOf,
  IMAGES,
  LOADGEN,
  SERVICE_NAMES,
  startWaves,
  urlVariableOf,
  youngGenerationOf,
  type AppName,
  type ServiceName,
} from './apps.js'
export { PROBLEM_TYPES, type ProblemKind } from './problems.js'
