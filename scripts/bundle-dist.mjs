// node ../../scripts/bundle-dist.mjs <dist/module.js>... [--external=<package>]...
//
// Rewrites built modules of a workspace package, in place, as one file each: the module and every
// package it imports. For dependencies made of hundreds of ES modules (TypeBox: 373, OpenTelemetry:
// about 160), each of which costs a running process memory of its own: importing TypeBox grew one by
// 4.5-6.0 MiB, its bundle by 0.4-0.7. Bundling those two saved each app 5-7.5 MiB of idle memory
// (packages/bench/README.md). Packages named by --external stay imports, resolved at run time as before.
// Object keys named by string constants are then written into their literals (constantKeysInlined).
import { writeFileSync } from 'node:fs'
import { build } from 'esbuild'

const entries = process.argv.slice(2).filter((argument) => !argument.startsWith('--'))
const external = process.argv
  .slice(2)
  .filter((argument) => argument.startsWith('--external='))
  .map((argument) => argument.slice('--external='.length))
if (entries.length === 0) {
  console.error('usage: bundle-dist.mjs <dist/module.js>... [--external=<package>]...')
  process.exit(2)
}

for (const entry of entries) {
  const { outputFiles } = await build({
    entryPoints: [entry],
    outfile: entry,
    allowOverwrite: true,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node24',
    external,
    // tsc's source map of the module is read and carried into the bundle's.
    sourcemap: true,
    // CommonJS dependencies call `require`, which an ES module does not have.
    banner: {
      js: "import { createRequire as __bundleCreateRequire } from 'node:module'; const require = __bundleCreateRequire(import.meta.url);",
    },
    logLevel: 'warning',
    // Kept in memory and written once, the bundle with its keys inlined and its source map.
    write: false,
  })
  for (const file of outputFiles) {
    writeFileSync(file.path, file.path.endsWith('.js') ? constantKeysInlined(file.text) : file.contents)
  }
}

/**
 * `{ [ATTR_URL_PATH]: path }` names its key through a constant, so V8 cannot make the object from the
 * literal's template: every such key is a call into its runtime, about 1,500 instructions (callgrind;
 * 10 per traced request in the SDK and the server span, 4% of a traced request's instructions,
 * packages/bench/README.md). The key of a constant the bundle declares once, as a string, is written
 * into the literal instead: `{ "url.path": path }`. Source maps stay right to the line.
 */
function constantKeysInlined(code) {
  const strings = new Map()
  for (const [, name, value] of code.matchAll(/^var ([A-Z][A-Z0-9_]*) = ("[^"\\\n]*");$/gm)) {
    const declarations = code.match(new RegExp(`\\b(?:var|let|const|function) ${name}\\b`, 'g'))
    if (declarations?.length === 1) strings.set(name, value)
  }
  return code.replace(/\[([A-Z][A-Z0-9_]*)\]:/g, (key, name) =>
    strings.has(name) ? `${strings.get(name)}:` : key,
  )
}
