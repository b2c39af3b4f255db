// The design lives in the repository: every citation of the architecture document points at
// docs/architecture.md and at a heading it has, and every app and package has a README that names its
// own variables.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { databaseConfigProperties, serviceConfigProperties, upstreamTimeoutProperty } from '@shop/service-kit'
import { describe, expect, it } from 'vitest'

const repoRoot = fileURLToPath(new URL('../../', import.meta.url))
const DOCUMENT = 'docs/architecture.md'
const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.git', '.data', '.turbo', 'coverage', 'test-results'])
const TEXT_FILE = /\.(ts|tsx|mts|js|mjs|cjs|md|ya?ml|json|sh)$/
const thisFile = relative(repoRoot, fileURLToPath(import.meta.url))

/** Repository-relative paths of the text files that may cite the document. */
function sourceFiles(dir = ''): string[] {
  return readdirSync(join(repoRoot, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return SKIPPED_DIRS.has(entry.name) ? [] : sourceFiles(path)
    const ciScript = dir === '.ci'
    return entry.isFile() && (TEXT_FILE.test(entry.name) || ciScript) && entry.name !== 'package-lock.json'
      ? [path]
      : []
  })
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>()
  const seen = new Map<string, number>()
  let fenced = false
  for (const line of markdown.split('\n')) {
    if (/^(```|~~~)/.test(line)) fenced = !fenced
    const heading = !fenced && /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line)
    if (!heading) continue
    const slug = heading[1]!
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-')
    const count = seen.get(slug) ?? 0
    seen.set(slug, count + 1)
    anchors.add(count === 0 ? slug : `${slug}-${count}`)
  }
  return anchors
}

interface Citation {
  file: string
  line: number
  text: string
  /** Repository-relative path the citation resolves to. */
  target: string
  anchor: string | undefined
}

/**
 * Every mention of the document's file name. A Markdown link resolves from its file's folder; any
 * other mention (a code comment) is read from the repository root, as `docs/architecture.md#anchor`.
 */
function citations(): Citation[] {
  return sourceFiles()
    .filter((file) => file !== DOCUMENT && file !== thisFile && statSync(join(repoRoot, file)).size < 1e6)
    .flatMap((file) =>
      readFileSync(join(repoRoot, file), 'utf8')
        .split('\n')
        .flatMap((content, index) =>
          [...content.matchAll(/(\]\()?([\w./-]*)architecture\.md(?:#([\w-]+))?/g)].map((match) => {
            const [text, linkOpen, prefix, anchor] = match
            const base = linkOpen && file.endsWith('.md') ? dirname(join(repoRoot, file)) : repoRoot
            const target = relative(repoRoot, resolve(base, `${prefix}architecture.md`))
            return { file, line: index + 1, text, target, anchor }
          }),
        ),
    )
}

describe('docs/architecture.md', () => {
  const document = readFileSync(join(repoRoot, DOCUMENT), 'utf8')
  const anchors = headingAnchors(document)

  it('has the numbered sections that code comments cite', () => {
    for (const anchor of [
      '1-the-system-at-a-glance',
      '2-configuration',
      '3-the-service-kit',
      '6-the-user-journeys',
      '8-test-infrastructure',
      '9-consistency-without-transactions',
    ])
      expect(anchors).toContain(anchor)
  })

  it('is what every citation in the repository names, at a heading it has', () => {
    const found = citations()
    // The comments this document was written for: a walk that finds none has stopped looking.
    expect(found.length).toBeGreaterThanOrEqual(10)
    const broken = found
      .filter(({ target, anchor }) => target !== DOCUMENT || !anchor || !anchors.has(anchor))
      .map(({ file, line, text }) => `${file}:${line}: ${text}`)
    expect(broken).toEqual([])
  })

  it('links only to its own headings', () => {
    const links = [...document.matchAll(/\]\(#([\w-]+)\)/g)].map((match) => match[1]!)
    expect(links.length).toBeGreaterThan(0)
    expect(links.filter((anchor) => !anchors.has(anchor))).toEqual([])
  })
})

const KIT_VARIABLES = new Set(
  Object.keys({
    ...serviceConfigProperties({ port: 0 }),
    ...databaseConfigProperties,
    ...upstreamTimeoutProperty,
  }),
)

const workspaces = ['apps', 'packages'].flatMap((group) =>
  readdirSync(join(repoRoot, group), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(repoRoot, group, entry.name, 'package.json')))
    .map((entry) => `${group}/${entry.name}`),
)

describe.each(workspaces)('%s', (workspace) => {
  const readmePath = join(repoRoot, workspace, 'README.md')
  const name = workspace.split('/')[1]!

  it('has a README titled with its name', () => {
    expect(existsSync(readmePath)).toBe(true)
    expect(readFileSync(readmePath, 'utf8').split('\n')[0]).toBe(`# ${name}`)
  })

  const configPath = join(repoRoot, workspace, 'src/config.ts')
  const isApp = workspace.startsWith('apps/')
  if (isApp && existsSync(configPath))
    it('README names the variables of its own config.ts', async () => {
      const { ConfigSchema } = (await import(configPath)) as { ConfigSchema: { properties: object } }
      const own = Object.keys(ConfigSchema.properties).filter((variable) => !KIT_VARIABLES.has(variable))
      const readme = readFileSync(readmePath, 'utf8')
      expect(own.filter((variable) => !readme.includes(`\`${variable}\``))).toEqual([])
      // The variables every app shares are described once, in the design.
      expect(readme).toContain(`${DOCUMENT}#2-configuration`)
    })
})
