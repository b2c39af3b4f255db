// jose for the apps that sign or check tokens: import it from here, not from 'jose'. The build turns
// this module into one file holding jose, whose 46 ES modules otherwise cost each of those apps
// 1.2-1.5 MiB of memory (measured importing it alone; scripts/bundle-dist.mjs).
export {
  calculateJwkThumbprint,
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  jwtVerify,
  SignJWT,
  type JWK,
  type JWTVerifyGetKey,
} from 'jose'
