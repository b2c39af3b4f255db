import { readdirSync, readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot } from '@shop/test-support'

interface Manifest {
  name: string
  dependencies?: Record<string, string>
}

const workspaces = new Map<string, { dir: string; manifest: Manifest }>()
for (const parent of ['apps', 'packages']) {
  for (const name of readdirSync(join(repoRoot, parent))) {
    const dir = join(repoRoot, parent, name)
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest
    workspaces.set(manifest.name, { dir, manifest })
  }
}

function javascriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.js'))
    .map((entry) => join(entry.parentPath, entry.name))
}

/** Packages a built file imports: `from 'x'`, `import('x')`, `import 'x'`, and `--import x` is the tracing module. */
function importedPackages(file: string): string[] {
  const source = readFileSync(file, 'utf8')
  const specifiers = [...source.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"]([^'"]+)['"]/g)].map(
    (match) => match[1]!,
  )
  return specifiers
    .filter((specifier) => !specifier.startsWith('.') && !specifier.startsWith('node:'))
    .filter((specifier) => !builtinModules.includes(specifier))
    .map((specifier) =>
      specifier
        .split('/')
        .slice(0, specifier.startsWith('@') ? 2 : 1)
        .join('/'),
    )
}

/** The workspaces an image of this app carries, following @shop/* dependencies. */
function runtimeClosure(app: string): string[] {
  const seen = new Set<string>()
  const visit = (name: string) => {
    if (seen.has(name)) return
    seen.add(name)
    for (const dependency of Object.keys(workspaces.get(name)!.manifest.dependencies ?? {}))
      if (workspaces.has(dependency)) visit(dependency)
  }
  visit(app)
  return [...seen]
}

const apps = [...workspaces.keys()].filter((name) => workspaces.get(name)!.dir.includes('/apps/'))

describe('what an image installs (npm ci --omit=dev --workspace=<app>)', () => {
  it.each(apps)('%s declares, as production dependencies, every package its built code imports', (app) => {
    const missing: string[] = []
    for (const name of runtimeClosure(app)) {
      const { dir, manifest } = workspaces.get(name)!
      const declared = new Set([name, ...Object.keys(manifest.dependencies ?? {})])
      // The page of the UI is bundled by Vite: its imports are resolved at build time, not in the image.
      const built = javascriptFiles(join(dir, 'dist')).filter(
        (file) => !file.includes(`${join('dist', 'public')}`),
      )
      for (const file of built)
        for (const imported of importedPackages(file))
          if (!declared.has(imported))
            missing.push(`${name}: ${imported} (imported by ${file.slice(repoRoot.length)})`)
    }
    expect(missing).toEqual([])
  })

  it.each(apps)('%s loads the tracing module it is started with', (app) => {
    const closure = runtimeClosure(app)
    expect(closure).toContain('@shop/tracing')
    expect(readFileSync(join(workspaces.get(app)!.dir, 'package.json'), 'utf8')).toContain(
      'node --import @shop/tracing/register',
    )
  })
})
