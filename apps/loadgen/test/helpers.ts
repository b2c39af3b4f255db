import { repoRoot, startProcess } from '@shop/test-support'

/**
 * Runs the load generator's command line (as built) with `--json` and the given flags, to its end: its
 * exit code, its output, and the summary it prints last.
 */
export async function runLoadgen<Summary>(flags: string[]) {
  const run = startProcess({
    command: process.execPath,
    args: ['dist/cli.js', '--json', ...flags],
    cwd: `${repoRoot}apps/loadgen`,
    env: { PATH: process.env.PATH },
    label: 'loadgen',
  })
  const code = await run.exited
  return { code, output: run.output, summary: JSON.parse(run.output.at(-1)!) as Summary }
}
