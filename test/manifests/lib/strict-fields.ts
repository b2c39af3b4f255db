// The JSON schemas of kubernetes-models accept fields they do not know (a misspelt
// `maxEjectionPercnt` passes), and so would Istio's CRDs with `x-kubernetes-preserve-unknown-fields`.
// The same packages ship TypeScript interfaces for every kind: checking each object as an object
// literal of its interface makes TypeScript's excess-property check find every unknown field.
import { join } from 'node:path'
import ts from 'typescript'
import { nameOf, repoRoot, type K8sObject } from './objects.js'

/** The module and interface describing an object: `kubernetes-models/apps/v1/Deployment`, `IDeployment`. */
function typeOf(object: K8sObject): { module: string; name: string } | undefined {
  const [group, version] = object.apiVersion.includes('/')
    ? object.apiVersion.split('/')
    : ['', object.apiVersion]
  const name = `I${object.kind}`
  if (group!.endsWith('istio.io'))
    return { module: `@kubernetes-models/istio/${group}/${version}/${object.kind}`, name }
  if (group === 'gateway.networking.k8s.io')
    return { module: `@kubernetes-models/gateway-api/${group}/${version}/${object.kind}`, name }
  if (group === '') return { module: `kubernetes-models/${version}/${object.kind}`, name }
  if (group!.includes('.k8s.io') && !group!.startsWith('gateway.'))
    return { module: `kubernetes-models/${group}/${version}/${object.kind}`, name }
  if (['apps', 'batch'].includes(group!))
    return { module: `kubernetes-models/${group}/${version}/${object.kind}`, name }
  return undefined
}

/** True when the object's kind has TypeScript types here. */
export const hasTypes = (object: K8sObject) => typeOf(object) !== undefined

/**
 * The fields of the objects that their kind's interface does not declare, or whose values have the
 * wrong type, as TypeScript reports them (one line each, naming the object).
 */
export function unknownFields(objects: K8sObject[]): string[] {
  const typed = objects.filter(hasTypes)
  const imports = new Map<string, string>()
  const lines: string[] = []
  typed.forEach((object, i) => {
    const { module, name } = typeOf(object)!
    const alias = imports.get(module) ?? `T${imports.size}`
    imports.set(module, alias)
    const { source: _source, ...data } = object
    lines.push(`export const o${i}: ${alias}.${name} = ${JSON.stringify(data)}`)
  })
  const text = [
    ...[...imports].map(([module, alias]) => `import type * as ${alias} from '${module}'`),
    ...lines,
  ].join('\n')
  const file = join(repoRoot, 'test/manifests/__objects__.ts')
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: [],
  }
  const host = ts.createCompilerHost(options)
  const readFile = host.readFile.bind(host)
  const fileExists = host.fileExists.bind(host)
  const getSourceFile = host.getSourceFile.bind(host)
  host.readFile = (path) => (path === file ? text : readFile(path))
  host.fileExists = (path) => path === file || fileExists(path)
  host.getSourceFile = (path, language, ...rest) =>
    path === file ? ts.createSourceFile(path, text, language) : getSourceFile(path, language, ...rest)
  const program = ts.createProgram([file], options, host)
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')
    const line =
      diagnostic.file && diagnostic.start !== undefined
        ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line
        : -1
    const object = typed[line - imports.size]
    return `${object ? nameOf(object) : (diagnostic.file?.fileName ?? '')}: ${message}`
  })
}
