import { createService, databaseSettings, type ServiceApp } from '@shop/service-kit'
import { jwksTokenVerifier } from '@shop/service-kit/auth'
import type { Config } from './config.js'
import { Tickets } from './domain/tickets.js'
import { registerRateLimit } from './plugins/rate-limit.js'
import { supportInfoRoutes } from './routes/support-info.js'
import { ticketRoutes } from './routes/tickets.js'
import { MongoTickets } from './store/mongo-tickets.js'

export async function buildApp(config: Config): Promise<ServiceApp> {
  const app = await createService({
    name: 'contact-support-team',
    description: 'Support tickets from guests and signed-in users, and how to reach the support desk.',
    config,
    database: databaseSettings(config, 'contact_support_team'),
  })

  const store = new MongoTickets(app.database!.db)
  app.database!.onSetup(() => store.setUp())

  await registerRateLimit(app)
  await app.register(ticketRoutes, {
    tickets: new Tickets(store),
    verify: jwksTokenVerifier(`${config.PROFILE_MANAGEMENT_URL}/.well-known/jwks.json`),
    limit: {
      max: config.TICKET_RATE_LIMIT_MAX,
      windowMs: config.TICKET_RATE_LIMIT_WINDOW_MS,
    },
  })
  await app.register(supportInfoRoutes)
  return app
}
