// Loaded with `node --import @shop/tracing/register dist/server.js`, before the app's own modules, so that
// `http` and `fetch` are instrumented before anything imports them.
import { startTracing } from './sdk.js'

startTracing()
