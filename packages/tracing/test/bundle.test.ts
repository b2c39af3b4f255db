import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'

// scripts/bundle-dist.mjs writes constant-named keys into their object literals: V8 makes each
// `[CONSTANT]:` key with a call into its runtime, on every span.
describe('the tracing bundle', () => {
  it('names the keys of its object literals in place of the constants that held them', async () => {
    const bundle = await readFile(new URL('../dist/index.js', import.meta.url), 'utf8')
    expect(bundle).not.toMatch(/\[ATTR_[A-Z0-9_]+\]:/)
    // The server span's attributes, and the SDK's span metrics (esbuild may rename the variables).
    expect(bundle).toMatch(/"url\.path": path\d*,/)
    expect(bundle).toMatch(/"otel\.span\.sampling_result": samplingDecisionStr\d*/)
  })
})
