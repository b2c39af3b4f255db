// Reads the shell blocks of the walkthrough (docs/mesh) and of the folder READMEs the way a learner
// copies them: the commands, with their continuation lines joined, and what each one applies or
// deletes.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { repoRoot } from './objects.js'

/** One command of a ```sh block, its continuation lines joined, and the heading it sits under. */
export interface Command {
  file: string
  heading: string
  text: string
  words: string[]
}

/** The Markdown files of a folder, sorted (the chapters' numbers give their order). */
export function markdownFiles(dir: string): string[] {
  return readdirSync(join(repoRoot, dir))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `${dir}/${name}`)
}

/** Every command of every ```sh block of a Markdown file, in order. */
export function commandsOf(file: string): Command[] {
  const commands: Command[] = []
  let heading = ''
  let inBlock = false
  let pending = ''
  for (const line of readFileSync(join(repoRoot, file), 'utf8').split('\n')) {
    if (!inBlock && /^#+ /.test(line)) heading = line.replace(/^#+ /, '')
    if (/^\s*```/.test(line)) {
      inBlock = !inBlock && /^\s*```(sh|bash|shell)\s*$/.test(line)
      continue
    }
    if (!inBlock) continue
    const code = stripComment(line).trimEnd()
    if (code.endsWith('\\')) {
      pending += `${code.slice(0, -1)} `
      continue
    }
    // A line ending in `&&`, `||` or `|` goes on, as in the shell.
    if (/(&&|\|\||\|)$/.test(code)) {
      pending += `${code} `
      continue
    }
    const text = `${pending}${code}`.trim()
    pending = ''
    if (text) commands.push({ file, heading, text, words: words(text) })
  }
  return commands
}

/** A line without its `# comment` (a `#` that starts a word, outside quotes). */
function stripComment(line: string): string {
  let quote: string | undefined
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!
    if (quote) {
      if (c === quote) quote = undefined
    } else if (c === '"' || c === "'") quote = c
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) return line.slice(0, i)
  }
  return line
}

/** The words of a command, quotes removed (no expansion: a word with `$` stays as written). */
function words(text: string): string[] {
  return [...text.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!)
}

/** What a kubectl or helm command does with files: the verb, and its -f and -k arguments. */
export interface FileUse {
  tool: 'kubectl' | 'helm'
  verb: string
  files: string[]
  kustomizations: string[]
  /** `-n`/`--namespace`, and the words after the verb that are not flags (kind and names for delete). */
  namespace?: string
  args: string[]
  flags: Set<string>
}

/** The kubectl and helm invocations of a command line (`a && b`, `a || b`, `a; b` split apart). */
export function fileUses(command: Command): FileUse[] {
  const uses: FileUse[] = []
  let segment: string[] = []
  const flush = () => {
    const use = parseUse(segment)
    if (use) uses.push(use)
    segment = []
  }
  for (const word of command.words) {
    if (['&&', '||', ';', '|', 'do', 'then'].includes(word)) flush()
    else if (word.endsWith(';')) {
      segment.push(word.slice(0, -1))
      flush()
    } else segment.push(word)
  }
  flush()
  return uses
}

const VALUE_FLAGS = new Set([
  '-f',
  '--filename',
  '-k',
  '--kustomize',
  '-n',
  '--namespace',
  '--version',
  '--values',
  '--set',
  '-c',
  '--for',
  '--timeout',
  '--cluster',
  '--type',
  '-p',
  '--replicas',
  '--since',
  '-o',
  '--name',
])

function parseUse(words: string[]): FileUse | undefined {
  const [tool, ...rest] = words
  if (tool !== 'kubectl' && tool !== 'helm') return undefined
  const use: FileUse = { tool, verb: '', files: [], kustomizations: [], args: [], flags: new Set() }
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i]!
    const [flag, inline] =
      word.startsWith('--') && word.includes('=') ? word.split('=', 2) : [word, undefined]
    if (flag!.startsWith('-') && VALUE_FLAGS.has(flag!)) {
      const value = inline ?? rest[++i] ?? ''
      if (flag === '-f' || flag === '--filename' || (tool === 'helm' && flag === '--values'))
        use.files.push(value)
      else if (flag === '-k' || flag === '--kustomize') use.kustomizations.push(value)
      else if (flag === '-n' || flag === '--namespace') use.namespace = value
      use.flags.add(flag!)
    } else if (flag!.startsWith('-')) use.flags.add(flag!)
    else if (!use.verb) use.verb = word
    else use.args.push(word)
  }
  if (tool === 'kubectl' && use.verb === 'kustomize') use.kustomizations.push(...use.args.splice(0))
  return use
}

/**
 * A path not in the repository: one the learner's shell resolves at run time (a variable), fetches
 * (a URL), or standard input (`-f -`).
 */
export const isExternal = (path: string) => /^https?:\/\//.test(path) || path.includes('$') || path === '-'

export const isDirectory = (path: string) =>
  existsSync(join(repoRoot, path)) && statSync(join(repoRoot, path)).isDirectory()
export const exists = (path: string) => existsSync(join(repoRoot, path))
