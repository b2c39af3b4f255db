import { createServer, type Server } from 'node:http'
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '@shop/contracts'
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jwksTokenVerifier, type TokenVerifier } from '@shop/service-kit/auth'
import { freePort } from '@shop/test-support'

async function keyPair(kid: string): Promise<{ privateKey: CryptoKey; jwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair('RS256')
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } }
}

function sign(
  privateKey: CryptoKey,
  kid: string,
  claims: { sub?: string; email?: string } = {},
  options = {},
) {
  const {
    issuer = TOKEN_ISSUER,
    audience = TOKEN_AUDIENCE,
    expiresIn = '1h',
  } = options as Record<string, string>
  return new SignJWT({ email: 'ada@example.com', ...claims })
    .setProtectedHeader({ alg: 'RS256', kid })
    .setSubject(claims.sub ?? 'user-1')
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(privateKey)
}

describe('jwksTokenVerifier', () => {
  let server: Server
  let verify: TokenVerifier
  let signing: Awaited<ReturnType<typeof keyPair>>
  let jwksRequests = 0

  beforeAll(async () => {
    signing = await keyPair('key-1')
    server = createServer((_request, response) => {
      jwksRequests++
      response.writeHead(200, { 'content-type': 'application/json' })
      response.end(JSON.stringify({ keys: [signing.jwk] }))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    verify = jwksTokenVerifier(
      `http://127.0.0.1:${(server.address() as { port: number }).port}/.well-known/jwks.json`,
    )
  })

  afterAll(() => new Promise((resolve) => server.close(resolve)))

  it('accepts a token signed with a published key, fetching the keys once', async () => {
    const token = await sign(signing.privateKey, 'key-1', { sub: 'user-42', email: 'grace@example.com' })
    expect(await verify(`Bearer ${token}`)).toEqual({ userId: 'user-42', email: 'grace@example.com', token })
    await verify(`Bearer ${token}`)
    expect(jwksRequests).toBe(1)
  })

  it.each([
    ['no header', undefined],
    ['another scheme', 'Basic dXNlcjpwdw=='],
    ['garbage', 'Bearer not.a.jwt'],
  ])('rejects %s with 401', async (_case, header) => {
    await expect(verify(header)).rejects.toMatchObject({ status: 401 })
  })

  it('rejects expired, misaddressed and forged tokens with 401', async () => {
    const expired = await sign(signing.privateKey, 'key-1', {}, { expiresIn: '-1m' })
    await expect(verify(`Bearer ${expired}`)).rejects.toMatchObject({ status: 401, message: /expired/ })
    const otherIssuer = await sign(signing.privateKey, 'key-1', {}, { issuer: 'someone-else' })
    await expect(verify(`Bearer ${otherIssuer}`)).rejects.toMatchObject({ status: 401 })
    const otherAudience = await sign(signing.privateKey, 'key-1', {}, { audience: 'another-app' })
    await expect(verify(`Bearer ${otherAudience}`)).rejects.toMatchObject({ status: 401 })
    const forger = await keyPair('key-1')
    const forged = await sign(forger.privateKey, 'key-1')
    await expect(verify(`Bearer ${forged}`)).rejects.toMatchObject({
      status: 401,
      message: 'The token is not valid',
    })
  })

  it('answers 503 when the keys cannot be fetched', async () => {
    const offline = jwksTokenVerifier(`http://127.0.0.1:${await freePort()}/.well-known/jwks.json`)
    const token = await sign(signing.privateKey, 'key-1')
    await expect(offline(`Bearer ${token}`)).rejects.toMatchObject({ status: 503 })
  })
})
