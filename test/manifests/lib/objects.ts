import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseAllDocuments } from 'yaml'

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))

export type Labels = Record<string, string>

/** A Kubernetes object as read from YAML; `source` says which file it came from. */
export interface K8sObject {
  apiVersion: string
  kind: string
  metadata: { name: string; namespace?: string; labels?: Labels; annotations?: Record<string, string> }
  spec?: unknown
  source?: string
  [field: string]: unknown
}

/** Every file under `dirs` (relative to the repository) whose name ends in .yaml or .yml, sorted. */
export function yamlFiles(...dirs: string[]): string[] {
  const found: string[] = []
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry)
      if (statSync(path).isDirectory()) walk(path)
      else if (/\.ya?ml$/.test(entry)) found.push(relative(repoRoot, path))
    }
  }
  for (const dir of dirs) walk(join(repoRoot, dir))
  return found.sort()
}

/**
 * The documents of a YAML text, strictly: a syntax error, a duplicate key or an alias to a missing
 * anchor throws, naming the file.
 */
export function parseYaml(text: string, source: string): unknown[] {
  const documents = parseAllDocuments(text, { uniqueKeys: true, prettyErrors: true })
  if (!Array.isArray(documents)) throw new Error(`${source}: not a YAML stream`)
  const values: unknown[] = []
  for (const document of documents) {
    const problem = document.errors[0] ?? document.warnings[0]
    if (problem) throw new Error(`${source}: ${problem.message}`)
    const value: unknown = document.toJS({ maxAliasCount: 0 })
    if (value !== null && value !== undefined) values.push(value)
  }
  return values
}

export function readYamlFile(file: string): unknown[] {
  return parseYaml(readFileSync(join(repoRoot, file), 'utf8'), file)
}

export function isK8sObject(value: unknown): value is K8sObject {
  const object = value as Partial<K8sObject> | null
  return (
    typeof object === 'object' &&
    object !== null &&
    typeof object.apiVersion === 'string' &&
    typeof object.kind === 'string' &&
    typeof object.metadata?.name === 'string'
  )
}

/** The Kubernetes objects of the given files, each tagged with its file. */
export function loadObjects(files: string[]): K8sObject[] {
  return files.flatMap((file) =>
    readYamlFile(file).map((value) => {
      if (!isK8sObject(value)) throw new Error(`${file}: a document is not a Kubernetes object`)
      return { ...value, source: file }
    }),
  )
}

export const keyOf = (object: K8sObject) =>
  `${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`

export const nameOf = (object: K8sObject) =>
  `${object.kind} ${object.metadata.namespace ?? ''}/${object.metadata.name}${object.source ? ` (${object.source})` : ''}`

/** True when every label in `selector` is on `labels` (an empty selector selects everything). */
export function selects(selector: Labels | undefined, labels: Labels | undefined): boolean {
  return Object.entries(selector ?? {}).every(([name, value]) => labels?.[name] === value)
}

export const namespaceOf = (object: K8sObject) => object.metadata.namespace ?? 'default'

/** An object's spec, read as the given shape (`{}` when it has none). */
export const spec = <T>(object: K8sObject) => (object.spec ?? {}) as T

/**
 * An object's spec typed by its kind's model in kubernetes-models (`specOf<IVirtualService>(vs)`): the
 * checks filter objects by kind, then read them through the packages' interfaces.
 */
export const specOf = <Model extends { spec?: unknown }>(object: K8sObject) =>
  spec<NonNullable<Model['spec']>>(object)
