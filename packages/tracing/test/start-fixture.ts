import { fileURLToPath } from 'node:url'
import { startProcess, type StartedProcess } from '@shop/test-support'

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url))

/** Starts a script of `fixtures/` as its own process with the tracing module loaded, once it listens. */
export async function startFixture(
  script: string,
  env: Record<string, string> = {},
): Promise<{ process: StartedProcess; port: number; url: string }> {
  const started = startProcess({
    command: process.execPath,
    args: ['--import', '@shop/tracing/register', `${fixtures}${script}`],
    cwd: fixtures,
    env: { PATH: process.env.PATH, ...env },
    label: script,
  })
  const line = await started.waitForLine((text) => text.startsWith('{"listening"'))
  const { listening } = JSON.parse(line) as { listening: number }
  return { process: started, port: listening, url: `http://127.0.0.1:${listening}` }
}
