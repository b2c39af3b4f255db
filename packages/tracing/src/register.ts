// Loaded with `node --import @shop/tracing/register dist/server.js`, before the app's own modules, so that
// `http` and `fetch` are instrumented before anything imports them. From the package's one module
// (its build bundles it with OpenTelemetry), so the app's imports of @shop/tracing share its state.
import { startTracing } from './index.js'

startTracing()
