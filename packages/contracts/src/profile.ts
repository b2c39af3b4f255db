import { Type, type Static } from './typebox.js'
import { Address } from './address.js'

/** Tokens are JWTs signed by profile-management; every verifier checks these two claims. */
export const TOKEN_ISSUER = 'profile-management'
export const TOKEN_AUDIENCE = 'ecommerce'
/** RS256: understood by jose, by Envoy's jwt_authn (Istio RequestAuthentication) and by everything else. */
export const TOKEN_ALGORITHM = 'RS256'

export const Email = Type.String({ format: 'email', maxLength: 254 })
export const Password = Type.String({ minLength: 8, maxLength: 128, description: 'At least 8 characters' })
const Name = Type.String({ minLength: 1, maxLength: 60 })

export const User = Type.Object({
  id: Type.String(),
  email: Email,
  firstName: Name,
  lastName: Name,
  address: Type.Optional(Address),
  createdAt: Type.String({ format: 'date-time' }),
})
export type User = Static<typeof User>

export const SignUpRequest = Type.Object(
  { email: Email, password: Password, firstName: Name, lastName: Name, address: Type.Optional(Address) },
  { additionalProperties: false },
)
export type SignUpRequest = Static<typeof SignUpRequest>

export const SignInRequest = Type.Object(
  { email: Email, password: Type.String({ minLength: 1, maxLength: 128 }) },
  { additionalProperties: false },
)
export type SignInRequest = Static<typeof SignInRequest>

/** Sign-up and sign-in answer the user and a bearer token. */
export const Session = Type.Object({
  user: User,
  token: Type.String(),
  expiresAt: Type.String({ format: 'date-time' }),
})
export type Session = Static<typeof Session>

export const ProfileUpdate = Type.Object(
  { firstName: Type.Optional(Name), lastName: Type.Optional(Name), address: Type.Optional(Address) },
  { additionalProperties: false, minProperties: 1 },
)
export type ProfileUpdate = Static<typeof ProfileUpdate>
