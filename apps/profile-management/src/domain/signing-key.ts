import { createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto'
import { promisify } from 'node:util'
import { TOKEN_ALGORITHM } from '@shop/contracts'
import { ConfigError } from '@shop/service-kit'
import { calculateJwkThumbprint, type JWK } from '@shop/service-kit/jose'

/** The key tokens are signed with, and its public half as the JWKS publishes it. */
export interface SigningKey {
  kid: string
  privateKey: KeyObject
  publicJwk: PublicJwk
  /** True when no key was configured and this one was made at start-up. */
  generated: boolean
}

/** An RSA public key as a JWK: exactly the members verifiers need, never a private one. */
export interface PublicJwk {
  kty: 'RSA'
  n: string
  e: string
  kid: string
  alg: typeof TOKEN_ALGORITHM
  use: 'sig'
}

/** RS256 with less than 2048 bits is refused by jose and by NIST guidance alike. */
const MIN_MODULUS_BITS = 2048

/**
 * The configured signing key (JWT_PRIVATE_KEY, PEM), or a fresh one when none is configured. A bad key
 * stops the service with one line naming the variable and never showing its value.
 */
export async function loadSigningKey(
  pem: string | undefined,
  keyId: string | undefined,
): Promise<SigningKey> {
  if (pem === undefined) {
    const { privateKey } = await promisify(generateKeyPair)('rsa', { modulusLength: MIN_MODULUS_BITS })
    return describeKey(privateKey, keyId, true)
  }
  return describeKey(parsePrivateKey(pem), keyId, false)
}

function parsePrivateKey(pem: string): KeyObject {
  // Tolerate a PEM pasted into a one-line .env file with literal "\n" separators.
  const text = pem.includes('\\n') && !pem.includes('\n') ? pem.replaceAll('\\n', '\n') : pem
  let key: KeyObject
  try {
    key = createPrivateKey({ key: text, format: 'pem' })
  } catch {
    throw new ConfigError('Invalid configuration: JWT_PRIVATE_KEY is not a PEM private key (PKCS#8 expected)')
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0
  if (key.asymmetricKeyType !== 'rsa' || bits < MIN_MODULUS_BITS)
    throw new ConfigError(
      `Invalid configuration: JWT_PRIVATE_KEY must be an RSA key of at least ${MIN_MODULUS_BITS} bits for ${TOKEN_ALGORITHM}`,
    )
  return key
}

async function describeKey(
  privateKey: KeyObject,
  keyId: string | undefined,
  generated: boolean,
): Promise<SigningKey> {
  const { n, e } = createPublicKey(privateKey).export({ format: 'jwk' }) as JWK
  // The thumbprint names the key by its content: replicas sharing a key agree on its id with no setting.
  const kid = keyId ?? (await calculateJwkThumbprint({ kty: 'RSA', n: n!, e: e! }))
  const publicJwk: PublicJwk = { kty: 'RSA', n: n!, e: e!, kid, alg: TOKEN_ALGORITHM, use: 'sig' }
  return { kid, privateKey, publicJwk, generated }
}
