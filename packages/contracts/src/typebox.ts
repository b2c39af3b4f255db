// TypeBox for the apps and packages of the shop: import it from here, not from 'typebox'. The build
// turns this module into one file holding TypeBox, whose 373 ES modules otherwise cost every app
// 3-5.6 MiB of idle memory (scripts/bundle-dist.mjs).
export { Type, type Static, type TObject, type TProperties, type TSchema, type TString } from 'typebox'
