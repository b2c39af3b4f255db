import { execFile, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { promisify } from 'node:util'
import { IMAGES } from '@shop/contracts'
import { repoRoot } from '@shop/test-support'

/** Debian's client: the one in /usr/local/bin on these machines lacks compose and the classic builder's peers. */
export const docker = process.env.DOCKER ?? (existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker')

/** Under CI (.ci/run starts an engine) a missing engine is a failure, never a skip. */
export const engineRequired = process.env.CI === 'true'

export const engineAvailable = spawnSync(docker, ['info'], { stdio: 'ignore' }).status === 0

const execFileAsync = promisify(execFile)

/** Runs a docker (or docker-compose) command; rejects with its output when it fails. */
export async function run(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<string> {
  try {
    const { stdout } = await execFileAsync(command, args, {
      cwd: repoRoot,
      env: options.env ?? process.env,
      timeout: options.timeoutMs ?? 60_000,
      maxBuffer: 64 * 1024 * 1024,
    })
    return stdout.trim()
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string }
    throw new Error(`${command} ${args.join(' ')} failed:\n${stdout}\n${stderr}`, { cause: error })
  }
}

export interface ShopImage {
  app: string
  port: number
  version: string
  tag: string
}

/** The images `npm run images` builds: the app registry's list, which scripts/build-images.sh reads. */
export function shopImages(): ShopImage[] {
  return IMAGES.map(({ app, port, version }) => ({ app, port, version, tag: `${app}:${version}` }))
}
