// The walkthrough (docs/mesh) as a learner runs it: every command that applies or deletes files names
// paths that exist and render; replaying the chapters in order, what is applied after each chapter
// passes the manifest analysis; the Istio, Kubernetes and Gateway API versions agree everywhere; the
// images loaded into kind or minikube are the ones the manifests run and `npm run images` builds.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { IMAGES } from '@shop/contracts'
import { describe, expect, it } from 'vitest'
import { buildWith, COMPONENTS, kustomize } from './lib/kustomize.js'
import { analyze } from './lib/mesh.js'
import { isAllowed } from './lib/security.js'
import { INGRESS_GATEWAY, podSpecs, workloads } from './lib/workloads.js'
import {
  keyOf,
  loadObjects,
  parseYaml,
  readYamlFile,
  repoRoot,
  yamlFiles,
  type K8sObject,
} from './lib/objects.js'
import {
  commandsOf,
  exists,
  fileUses,
  isDirectory,
  isExternal,
  markdownFiles,
  type Command,
  type FileUse,
} from './lib/walkthrough.js'

/**
 * Istio's supported releases (istio.io, "Supported Releases", checked 2026-11-30): the minor this
 * walkthrough pins and the Kubernetes minors it supports. 1.29 is past its end of life; 1.30's ends
 * six weeks after 1.32.0.
 */
const ISTIO = { version: '1.31.1', kubernetes: ['1.32', '1.33', '1.34', '1.35', '1.36'] }
/** Gateway API CRDs: Istio 1.30 and later read v1.5 (Istio 1.30 upgrade notes). */
const GATEWAY_API = 'v1.5.1'

const chapters = markdownFiles('docs/mesh').filter((f) => /\/\d\d-/.test(f))
/** The walkthrough, the folder READMEs of istio/ and k8s/, and the repository's README. */
const pages = [
  ...markdownFiles('docs/mesh'),
  ...readdirSync(join(repoRoot, 'istio'), { recursive: true, encoding: 'utf8' })
    .map((p) => `istio/${p}`)
    .concat(readdirSync(join(repoRoot, 'k8s'), { recursive: true, encoding: 'utf8' }).map((p) => `k8s/${p}`))
    .filter((p) => p.endsWith('README.md'))
    .sort(),
  'README.md',
]
const tracingProviders = (
  readYamlFile('istio/install/istiod-values.yaml')[0] as {
    meshConfig: { extensionProviders: { name: string }[] }
  }
).meshConfig.extensionProviders.map((p) => p.name)

const kustomized = new Map<string, K8sObject[]>()
const build = (path: string) => {
  if (!kustomized.has(path)) kustomized.set(path, kustomize(join(repoRoot, path)))
  return kustomized.get(path)!
}
/** The objects a `-f` argument names: a file, or every YAML file of a folder (as kubectl reads it). */
const objectsOf = (path: string) => loadObjects(isDirectory(path) ? yamlFiles(path) : [path])
const pathsOf = (use: FileUse) => [...use.files, ...use.kustomizations].filter((p) => !isExternal(p))
const where = (command: Command) => `${command.file} (${command.heading}): ${command.text}`
const uses = pages.flatMap((file) =>
  commandsOf(file).flatMap((command) => fileUses(command).map((use) => ({ command, use }))),
)

describe('the commands of the walkthrough and the folder READMEs', () => {
  it('are found: every chapter applies something, with kubectl and helm', () => {
    expect(chapters.length).toBeGreaterThanOrEqual(10)
    const applied = new Set(uses.filter(({ use }) => pathsOf(use).length).map(({ command }) => command.file))
    for (const chapter of ['01-install', '02-deploy', '04-canary', '05-circuit-breaking', '09-security'])
      expect(applied).toContain(`docs/mesh/${chapter}.md`)
    expect(uses.some(({ use }) => use.tool === 'helm' && use.files.length)).toBe(true)
  })

  it('name files and folders that exist', () => {
    const missing = uses.flatMap(({ command, use }) =>
      pathsOf(use)
        .filter((path) => !exists(path))
        .map((path) => `${path}, in ${where(command)}`),
    )
    expect(missing).toEqual([])
  })

  it('apply and delete files that parse into Kubernetes objects, and kustomizations that build', () => {
    for (const { command, use } of uses.filter(({ use }) => use.tool === 'kubectl')) {
      for (const path of use.files.filter((p) => !isExternal(p)))
        expect(objectsOf(path).length, where(command)).toBeGreaterThan(0)
      for (const path of use.kustomizations) expect(build(path).length, where(command)).toBeGreaterThan(0)
    }
  })

  it('give helm values files, not Kubernetes objects', () => {
    for (const { command, use } of uses.filter(({ use }) => use.tool === 'helm'))
      for (const path of use.files) {
        const [values] = readYamlFile(path)
        expect(values, where(command)).toBeTypeOf('object')
        expect((values as { kind?: string }).kind, where(command)).toBeUndefined()
      }
  })

  it('delete a folder that defines an object twice only with --ignore-not-found', () => {
    for (const { command, use } of uses.filter(({ use }) => use.verb === 'delete'))
      for (const path of use.files.filter((p) => !isExternal(p) && isDirectory(p))) {
        const keys = objectsOf(path).map(keyOf)
        if (new Set(keys).size < keys.length)
          expect(use.flags.has('--ignore-not-found'), `${where(command)}: deletes an object twice`).toBe(true)
      }
  })

  it('never change directory, so every path stays relative to the repository root', () => {
    const cds = pages.flatMap((file) => commandsOf(file)).filter((c) => /^cd\s/.test(c.text))
    expect(cds.map(where)).toEqual([])
  })
})

/** Kinds as `kubectl delete <kind>` names them. */
const KINDS: Record<string, string> = {
  deploy: 'Deployment',
  deployment: 'Deployment',
  virtualservice: 'VirtualService',
  destinationrule: 'DestinationRule',
  service: 'Service',
  svc: 'Service',
  authorizationpolicy: 'AuthorizationPolicy',
  'gateway.gateway.networking.k8s.io': 'Gateway',
}

/**
 * Replays the chapters' commands in order, as a cluster would hold the result: `apply` adds or
 * replaces objects by kind, namespace and name; `delete` removes them. Sections that undo a chapter
 * (headings starting with "Undo") are left out: the next chapter starts from the chapter's end.
 */
function replay(order = chapters): { chapter: string; objects: K8sObject[] }[] {
  const state = new Map<string, K8sObject>()
  const key = (use: FileUse, kind: string, name: string) =>
    `${KINDS[kind] ?? kind}/${use.namespace ?? 'default'}/${name}`
  return order.map((chapter) => {
    for (const command of commandsOf(chapter).filter((c) => !/^Undo/.test(c.heading)))
      for (const use of fileUses(command).filter((u) => u.tool === 'kubectl')) {
        // `kubectl get <kind> <name> && ...`: the rest runs only if the object exists.
        if (use.verb === 'get' && use.args.length === 2 && !state.has(key(use, use.args[0]!, use.args[1]!)))
          break
        const objects = [
          ...use.files.filter((p) => !isExternal(p)).flatMap(objectsOf),
          ...use.kustomizations.flatMap(build),
        ]
        if (use.verb === 'apply') for (const object of objects) state.set(keyOf(object), object)
        if (use.verb === 'delete') {
          for (const object of objects) state.delete(keyOf(object))
          const [kind, ...names] = use.args
          if (kind && KINDS[kind]) for (const name of names) state.delete(key(use, kind, name))
        }
      }
    return { chapter, objects: [...state.values()] }
  })
}

describe("the learner's cluster after each chapter", () => {
  const states = replay()

  it.each(states.map((s) => [s.chapter, s.objects] as const))(
    'after %s, everything applied so far passes the manifest analysis',
    (_, objects) => {
      expect(analyze(objects, { tracingProviders })).toEqual([])
    },
  )

  it('grows as the chapters say: the shop in 2, v2 of the catalog in 4, the faulty v2 in 5, the policies in 9', () => {
    const has = (chapter: string, key: string) =>
      states.find((s) => s.chapter.includes(chapter))!.objects.some((o) => keyOf(o) === key)
    expect(has('02-deploy', 'Deployment/ecommerce/ecommerce-ui-v1')).toBe(true)
    expect(has('02-deploy', 'Deployment/ecommerce/product-catalog-v2')).toBe(false)
    expect(has('04-canary', 'Deployment/ecommerce/product-catalog-v2')).toBe(true)
    expect(has('04-canary', 'Deployment/ecommerce/order-management-v2')).toBe(false)
    expect(has('05-circuit-breaking', 'Deployment/ecommerce/order-management-v2')).toBe(true)
    expect(has('09-security', 'AuthorizationPolicy/ecommerce/allow-nothing')).toBe(true)
    expect(has('10-gateway-api', 'AuthorizationPolicy/ecommerce/ecommerce-ui-gateway-api')).toBe(true)
    expect(has('10-gateway-api', 'VirtualService/ecommerce/product-catalog')).toBe(false)
  })

  it('under deny-by-default (chapter 9), both ingress gateways still reach the BFF after chapter 10', () => {
    const objects = states.find((s) => s.chapter.includes('10-gateway-api'))!.objects
    const ui = workloads(objects).find((w) => w.name === 'ecommerce-ui-v1')!
    const call = (from: string) =>
      isAllowed(objects, {
        from,
        to: { namespace: 'ecommerce', labels: ui.labels },
        port: 4000,
        method: 'GET',
        path: '/',
      })
    expect(call(`cluster.local/ns/${INGRESS_GATEWAY.namespace}/sa/${INGRESS_GATEWAY.serviceAccount}`)).toBe(
      true,
    )
    expect(call('cluster.local/ns/ecommerce/sa/ecommerce-gateway-api-istio')).toBe(true)
    expect(call('cluster.local/ns/ecommerce/sa/product-catalog')).toBe(false)
  })

  it('without chapter 9, chapter 10 leaves the BFF open to every caller (no lone ALLOW policy)', () => {
    const objects = replay(chapters.filter((c) => !c.includes('09-security'))).find((s) =>
      s.chapter.includes('10-gateway-api'),
    )!.objects
    expect(objects.filter((o) => o.kind === 'AuthorizationPolicy').map(keyOf)).toEqual([])
    expect(analyze(objects, { tracingProviders })).toEqual([])
  })

  it('chapter 10 before chapter 9: the Gateway API gateway is let in all the same', () => {
    const order = chapters.filter((c) => !c.includes('09-security'))
    const objects = replay([...order, 'docs/mesh/09-security.md']).at(-1)!.objects
    expect(objects.map(keyOf)).toContain('AuthorizationPolicy/ecommerce/ecommerce-ui-gateway-api')
  })

  it('waits for Gateway API conditions that become true on kind too (Programmed needs an address)', () => {
    const waits = uses.filter(
      ({ use }) => use.verb === 'wait' && use.args.some((a) => a.startsWith('gateway/')),
    )
    expect(waits.length).toBeGreaterThan(0)
    for (const { command } of waits) expect(command.text, where(command)).not.toMatch(/condition=Programmed/)
  })

  it('on kind or minikube, chapters 2, 4 and 5 apply the overlays that never pull the images', () => {
    for (const [chapter, overlay] of [
      ['02-deploy', 'shop-local'],
      ['04-canary', 'canary-local'],
      ['05-circuit-breaking', 'circuit-breaking-local'],
    ])
      expect(
        commandsOf(`docs/mesh/${chapter}.md`).flatMap((c) => fileUses(c).flatMap((u) => u.kustomizations)),
      ).toContain(`k8s/overlays/${overlay}`)
  })
})

describe('versions', () => {
  const texts = pages.map((file) => ({ file, text: readFileSync(join(repoRoot, file), 'utf8') }))
  const valuesFiles = yamlFiles('istio/install')
  const all = [
    ...texts,
    ...valuesFiles.map((file) => ({ file, text: readFileSync(join(repoRoot, file), 'utf8') })),
  ]
  const found = (pattern: RegExp) =>
    all.flatMap(({ file, text }) => [...text.matchAll(pattern)].map((m) => `${m[1]} (${file})`))
  const kind = readYamlFile('docs/mesh/kind-cluster.yaml')[0] as {
    name: string
    nodes: { image: string }[]
  }
  const kindVersion = /^kindest\/node:v(\d+\.\d+)\.(\d+)@sha256:[0-9a-f]{64}$/.exec(kind.nodes[0]!.image)

  it('every Istio chart, add-on and istioctl named is the pinned release', () => {
    const charts = found(/oci:\/\/ghcr\.io\/istio\/release\/charts\/\S+[^\n]*?--version (\S+)/g)
    const addons = found(/raw\.githubusercontent\.com\/istio\/istio\/([^/]+)\/samples\/addons/g)
    expect(charts.length).toBeGreaterThan(5)
    expect(addons.length).toBeGreaterThan(1)
    for (const version of [...charts, ...addons]) expect(version).toMatch(new RegExp(`^${ISTIO.version} `))
    for (const version of found(/istioctl` (\d+\.\d+)/g)) expect(version).toMatch(/^1\.31 /)
    expect(found(/helm repo add \S+ (https:\/\/istio-release\.storage\.googleapis\.com\S*)/g)).toEqual([])
    expect(found(/helm (?:install|upgrade) \S+ (istio\/\S+)/g)).toEqual([])
  })

  it("the kind node image and minikube's Kubernetes are one version, inside the pinned Istio's range", () => {
    expect(kind.name).toBe('shop')
    expect(kindVersion, kind.nodes[0]!.image).not.toBeNull()
    const [, minor, patch] = kindVersion!
    expect(ISTIO.kubernetes).toContain(minor)
    const minikube = found(/minikube start[^\n`]*--kubernetes-version=v(\S+)/g)
    expect(minikube.length).toBeGreaterThan(0)
    for (const version of minikube) expect(version).toMatch(new RegExp(`^${minor}\\.${patch} `))
    const stated = found(/Istio 1\.31 supports \(Kubernetes (\d+\.\d+ to \d+\.\d+)\)/g)
    expect(stated).toEqual([`${ISTIO.kubernetes[0]} to ${ISTIO.kubernetes.at(-1)} (docs/mesh/README.md)`])
  })

  it('the Gateway API CRDs are the version Istio reads', () => {
    const versions = found(/kubernetes-sigs\/gateway-api\/releases\/download\/(v[\d.]+)\//g)
    expect(versions.length).toBeGreaterThan(1)
    for (const version of versions) expect(version).toMatch(new RegExp(`^${GATEWAY_API} `))
  })

  it('kind and minikube commands name the cluster the kind configuration creates', () => {
    for (const cluster of found(/kind load docker-image \S+ --name ([\w-]+)/g))
      expect(cluster).toMatch(/^shop /)
    for (const profile of found(/minikube -p ([\w-]+)/g)) expect(profile).toMatch(/^shop /)
    expect(found(/(minikube image load)/g)).toEqual([])
  })
})

describe('images', () => {
  // What `npm run images` builds: the app registry's list (scripts/build-images.sh reads it).
  const built = IMAGES.map((image) => `${image.app}:${image.version}`).sort()
  const run = [
    ...new Set(
      buildWith(COMPONENTS)
        .filter((o) => o.kind === 'Deployment')
        .flatMap((o) => podSpecs([o]).flatMap(({ pod }) => pod.containers.map((c) => c.image))),
    ),
  ].sort()

  it('the manifests run exactly the images `npm run images` builds', () => {
    expect(built).toHaveLength(10)
    expect(run).toEqual(built)
  })

  it('every list of images to load into kind or minikube is that same list', () => {
    const lists = pages.flatMap((file) =>
      [
        ...readFileSync(join(repoRoot, file), 'utf8').matchAll(/(?:for image in |IMAGES=")(?!\$)([^;"]+)/g),
      ].map((m) => ({
        file,
        images: m[1]!
          .split(/[\s\\]+/)
          .filter(Boolean)
          .sort(),
      })),
    )
    expect(lists.length).toBeGreaterThanOrEqual(4)
    for (const { file, images } of lists) expect(images, file).toEqual(built)
  })
})

describe('Envoy stats the chapters read with `pilot-agent request GET stats`', () => {
  const deployments = buildWith(COMPONENTS).filter((o) => o.kind === 'Deployment')
  /** The regexps a Deployment's pods keep stats for (`proxyStatsMatcher` in `proxy.istio.io/config`). */
  const kept = (name: string) => {
    const template = (
      deployments.find((d) => d.metadata.name === name)!.spec as {
        template: { metadata: { annotations: Record<string, string> } }
      }
    ).template
    const config = parseYaml(template.metadata.annotations['proxy.istio.io/config'] ?? '', name)[0] as {
      proxyStatsMatcher?: { inclusionRegexps?: string[] }
    }
    // Envoy's safe_regex matches the whole stat name (RE2 full match).
    return (config.proxyStatsMatcher?.inclusionRegexps ?? []).map((r) => new RegExp(`^(?:${r})$`))
  }
  const statsCommands = pages
    .flatMap((file) => commandsOf(file))
    .filter((c) => c.text.includes('pilot-agent request GET stats'))
  const shown = pages.flatMap((file) =>
    [...readFileSync(join(repoRoot, file), 'utf8').matchAll(/(cluster\.outbound\|[^:\s`]+): \d+/g)].map(
      (m) => m[1]!,
    ),
  )

  it('are read from Deployments whose pods keep them', () => {
    expect(statsCommands.length).toBeGreaterThanOrEqual(3)
    for (const command of statsCommands) {
      const target = /exec deploy\/(\S+) -c istio-proxy/.exec(command.text)?.[1]
      expect(target, where(command)).toBeDefined()
      expect(kept(target!).length, `${where(command)}: ${target} keeps no extra stats`).toBeGreaterThan(0)
    }
  })

  it('every stat line the pages show is one the BFF keeps, and the matcher stays narrow', () => {
    expect(shown.length).toBeGreaterThanOrEqual(5)
    const regexps = kept('ecommerce-ui-v1')
    for (const stat of shown)
      expect(
        regexps.some((r) => r.test(stat)),
        stat,
      ).toBe(true)
    const other = 'cluster.outbound|9090||order-management.ecommerce.svc.cluster.local.upstream_cx_total'
    expect(regexps.some((r) => r.test(other))).toBe(false)
  })
})
