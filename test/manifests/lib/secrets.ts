import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { repoRoot } from './objects.js'

export const CREATE_SECRETS_SCRIPT = join(repoRoot, 'k8s/base/secrets/create-secrets.mjs')

export interface StoredSecret {
  name: string
  namespace: string
  labels: Record<string, string>
  stringData: Record<string, string>
}

export interface FakeApiServer {
  url: string
  /** Secrets by name, as created through the API. */
  secrets: Map<string, StoredSecret>
  /** Every request received: method, path and the bearer token. */
  requests: { method: string; path: string; authorization: string | undefined }[]
  close(): Promise<void>
}

async function body(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

/**
 * Just enough of the Kubernetes API for the script: POST /api/v1/namespaces/<ns>/secrets answers
 * 201, or 409 AlreadyExists when a Secret of that name is there, as the real API server does.
 */
export async function startFakeApiServer(existing: StoredSecret[] = []): Promise<FakeApiServer> {
  const secrets = new Map(existing.map((secret) => [secret.name, secret]))
  const requests: FakeApiServer['requests'] = []
  const server = createServer(async (request, response) => {
    requests.push({
      method: request.method ?? '',
      path: request.url ?? '',
      authorization: request.headers.authorization,
    })
    const match = /^\/api\/v1\/namespaces\/([^/]+)\/secrets$/.exec(request.url ?? '')
    if (request.method !== 'POST' || !match) {
      response.writeHead(403, { 'content-type': 'application/json' }).end('{"reason":"Forbidden"}')
      return
    }
    const secret = JSON.parse(await body(request)) as {
      metadata: { name: string; labels?: Record<string, string> }
      stringData: Record<string, string>
    }
    if (secrets.has(secret.metadata.name)) {
      response.writeHead(409, { 'content-type': 'application/json' }).end('{"reason":"AlreadyExists"}')
      return
    }
    secrets.set(secret.metadata.name, {
      name: secret.metadata.name,
      namespace: match[1]!,
      labels: secret.metadata.labels ?? {},
      stringData: secret.stringData,
    })
    response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify(secret))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}`,
    secrets,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

/**
 * Runs k8s/base/secrets/create-secrets.mjs as the Job does, against `apiServer`, with a
 * ServiceAccount folder holding `token` and `namespace` as the kubelet mounts them.
 */
export async function runCreateSecrets(
  apiServer: string,
  namespace = 'ecommerce',
): Promise<{ stdout: string; stderr: string }> {
  const accountDir = mkdtempSync(join(tmpdir(), 'shop-sa-'))
  try {
    writeFileSync(join(accountDir, 'token'), 'test-token\n')
    writeFileSync(join(accountDir, 'namespace'), namespace)
    return await promisify(execFile)(process.execPath, [CREATE_SECRETS_SCRIPT], {
      env: { PATH: process.env.PATH, KUBERNETES_API_URL: apiServer, SERVICE_ACCOUNT_DIR: accountDir },
    })
  } finally {
    rmSync(accountDir, { recursive: true, force: true })
  }
}
