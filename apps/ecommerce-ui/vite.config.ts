import { brotliCompressSync, gzipSync } from 'node:zlib'
import react from '@vitejs/plugin-react'
import { defineConfig, type Plugin } from 'vite'

const BFF = process.env.BFF_URL ?? 'http://127.0.0.1:4000'

/**
 * Writes a .br and a .gz next to each JS, CSS and SVG file of the build, which the BFF serves to
 * browsers that accept them (@fastify/static `preCompressed`): no compression work per request.
 */
function precompress(): Plugin {
  return {
    name: 'shop:precompress',
    apply: 'build',
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (!/\.(js|css|svg)$/.test(file.fileName)) continue
        const source = file.type === 'chunk' ? file.code : file.source
        this.emitFile({ type: 'asset', fileName: `${file.fileName}.br`, source: brotliCompressSync(source) })
        this.emitFile({
          type: 'asset',
          fileName: `${file.fileName}.gz`,
          source: gzipSync(source, { level: 9 }),
        })
      }
    },
  }
}

export default defineConfig({
  plugins: [react(), precompress()],
  build: {
    outDir: 'dist/public',
    emptyOutDir: true,
    // Everything as files: the page's Content-Security-Policy allows no data: URLs.
    assetsInlineLimit: 0,
    sourcemap: true,
    target: 'es2022',
    // Brotli at its best level takes a second on the main chunk: expected, not worth a warning each build.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  // `npm run dev:page` serves the page with hot reload, in front of a BFF running on :4000.
  server: {
    proxy: { '/api': BFF, '/images': BFF },
  },
})
