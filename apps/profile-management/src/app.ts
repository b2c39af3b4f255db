import { createService, databaseSettings, type ServiceApp } from '@shop/service-kit'
import { tokenVerifier } from '@shop/service-kit/auth'
import { createLocalJWKSet } from '@shop/service-kit/jose'
import type { Config } from './config.js'
import { Accounts } from './domain/accounts.js'
import { PasswordHasher } from './domain/passwords.js'
import { loadSigningKey } from './domain/signing-key.js'
import { TokenIssuer } from './domain/tokens.js'
import { registerAuthRateLimits } from './plugins/rate-limit.js'
import { authRoutes } from './routes/auth.js'
import { jwksRoutes } from './routes/jwks.js'
import { profileRoutes } from './routes/profile.js'
import { MongoUsers } from './store/mongo-users.js'

export async function buildApp(config: Config): Promise<ServiceApp> {
  const signingKey = await loadSigningKey(config.JWT_PRIVATE_KEY, config.JWT_KEY_ID)
  const app = await createService({
    name: 'profile-management',
    description:
      'Sign-up, sign-in and profiles; issues the RS256 tokens every service verifies with its JWKS.',
    config,
    database: databaseSettings(config, 'profile_management'),
  })
  if (signingKey.generated)
    app.log.warn(
      { kid: signingKey.kid },
      'JWT_PRIVATE_KEY is not set: signing tokens with a key generated at start-up. Tokens will not survive a ' +
        'restart and will not verify across replicas. Set JWT_PRIVATE_KEY (PKCS#8 PEM, from a Secret) outside development.',
    )

  const users = new MongoUsers(app.database!.db)
  app.database!.onSetup(() => users.setUp())
  const accounts = new Accounts(users, new PasswordHasher())
  const tokens = new TokenIssuer(signingKey, config.JWT_LIFETIME_SECONDS)
  // Tokens are checked by the kit's verifier, as every other service does, but against this instance's
  // own published keys in memory instead of a fetch of its own JWKS over the network: same claims, same
  // answers, no self-call that could fail, and replicas sharing the configured key accept each other's tokens.
  const verifyToken = tokenVerifier(createLocalJWKSet(tokens.jwks()))

  const limits = await registerAuthRateLimits(app, {
    failuresPerEmail: config.SIGNIN_FAILURES_PER_EMAIL,
    failuresPerEmailAllClients: config.SIGNIN_FAILURES_PER_EMAIL_ALL_CLIENTS,
    failureWindowMs: config.SIGNIN_FAILURE_WINDOW_SECONDS * 1000,
    attemptsPerClient: config.AUTH_ATTEMPTS_PER_CLIENT_PER_MINUTE,
  })
  await app.register(authRoutes, { accounts, tokens, limits })
  await app.register(profileRoutes, { accounts, verifyToken })
  await app.register(jwksRoutes, { tokens })
  return app
}
