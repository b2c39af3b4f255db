// Creates the shop's Secrets in its namespace when they do not exist yet, with values made here, in
// the cluster: a random MongoDB root password (and the URI the services use with it) and an RSA key
// that signs users' tokens. A Secret that already exists is left exactly as it is, so running this
// again (every `kubectl apply`) never rotates anything, and Secrets you created yourself win.
//
// Run by the create-secrets Job (secrets/create-secrets.yaml) with a ServiceAccount that may only
// create Secrets. Plain Node, no dependencies: it talks to the API server with fetch.
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'

const accountDir = process.env.SERVICE_ACCOUNT_DIR ?? '/var/run/secrets/kubernetes.io/serviceaccount'
const apiServer =
  process.env.KUBERNETES_API_URL ??
  `https://${process.env.KUBERNETES_SERVICE_HOST}:${process.env.KUBERNETES_SERVICE_PORT}`
const token = readFileSync(`${accountDir}/token`, 'utf8').trim()
const namespace = readFileSync(`${accountDir}/namespace`, 'utf8').trim()

/** The Secrets the manifests refer to, each made in one request so it exists whole or not at all. */
function desiredSecrets() {
  const username = 'root'
  // base64url: no character that would need escaping in a connection string.
  const password = randomBytes(24).toString('base64url')
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  })
  return [
    {
      name: 'mongodb-credentials',
      data: {
        MONGO_INITDB_ROOT_USERNAME: username,
        MONGO_INITDB_ROOT_PASSWORD: password,
        MONGODB_URI: `mongodb://${username}:${password}@mongodb.${namespace}.svc.cluster.local:27017/?authSource=admin`,
      },
    },
    { name: 'profile-management-jwt', data: { JWT_PRIVATE_KEY: privateKey } },
  ]
}

async function create({ name, data }) {
  const response = await fetch(`${apiServer}/api/v1/namespaces/${namespace}/secrets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name,
        labels: {
          'app.kubernetes.io/part-of': 'service-mesh-shop',
          'app.kubernetes.io/created-by': 'create-secrets',
        },
      },
      type: 'Opaque',
      stringData: data,
    }),
  })
  if (response.status === 201) return `created ${name}`
  if (response.status === 409) return `${name} already exists: left unchanged`
  throw new Error(`creating Secret ${name} answered ${response.status}: ${await response.text()}`)
}

for (const secret of desiredSecrets()) process.stdout.write(`${await create(secret)}\n`)
