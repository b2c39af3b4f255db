import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { isK8sObject, parseYaml, repoRoot, type K8sObject } from './objects.js'

export const COMPONENTS = [
  'product-catalog-v2',
  'order-management-v2',
  'loadgen',
  'local-images',
  'tracing',
] as const
export type ComponentName = (typeof COMPONENTS)[number]

/** `kubectl kustomize <dir>` (kubectl's built-in kustomize, as `kubectl apply -k` uses), parsed. */
export function kustomize(dir: string): K8sObject[] {
  let output: string
  try {
    output = execFileSync('kubectl', ['kustomize', dir], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    })
  } catch (error) {
    const { code, stderr } = error as { code?: string; stderr?: string }
    if (code === 'ENOENT')
      throw new Error(
        'kubectl is not on PATH: these tests build the manifests with `kubectl kustomize` (v1.32)',
        { cause: error },
      )
    throw new Error(`kubectl kustomize ${relative(repoRoot, dir) || dir} failed:\n${stderr ?? error}`, {
      cause: error,
    })
  }
  return parseYaml(output, `kustomize ${dir}`).map((value) => {
    if (!isK8sObject(value)) throw new Error(`kustomize ${dir}: produced something that is not an object`)
    return value
  })
}

/**
 * Builds k8s/base with the given components, as an overlay of one's own would: a kustomization in a
 * temporary folder that refers to them by relative path (kustomize refuses absolute ones).
 */
export function buildWith(components: readonly ComponentName[]): K8sObject[] {
  const dir = mkdtempSync(join(tmpdir(), 'shop-kustomize-'))
  try {
    const path = (to: string) => relative(dir, join(repoRoot, to))
    writeFileSync(
      join(dir, 'kustomization.yaml'),
      JSON.stringify({
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        resources: [path('k8s/base')],
        components: components.map((name) => path(`k8s/components/${name}`)),
      }),
    )
    return kustomize(dir)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Every subset of the components, the empty one included. */
export function componentCombinations(): ComponentName[][] {
  return Array.from({ length: 2 ** COMPONENTS.length }, (_, mask) =>
    COMPONENTS.filter((_, bit) => mask & (1 << bit)),
  )
}
