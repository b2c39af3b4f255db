import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'

export interface StartedProcess {
  readonly child: ChildProcess
  /** Every line printed so far on stdout and stderr, in order. */
  readonly output: string[]
  waitForLine(matches: (line: string) => boolean, timeoutMs?: number): Promise<string>
  /** Sends the signal and resolves with the exit code (null when killed by a signal). */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>
  readonly exited: Promise<number | null>
}

export interface StartProcessOptions {
  command: string
  args: string[]
  env?: NodeJS.ProcessEnv
  cwd?: string
  /** Prefix for lines echoed to the test's stderr when DEBUG_PROCESSES is set. */
  label?: string
}

const running = new Set<StartedProcess>()

export function startProcess(options: StartProcessOptions): StartedProcess {
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  return trackProcess(child, options.label ?? options.command)
}

/** Captures the output of a child started with piped stdout and stderr, and stops it after the test file. */
export function trackProcess(child: ChildProcess, label: string): StartedProcess {
  const output: string[] = []
  const waiters = new Set<() => void>()
  const echo = Boolean(process.env.DEBUG_PROCESSES)
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream! }).on('line', (line) => {
      output.push(line)
      if (echo) process.stderr.write(`[${label}] ${line}\n`)
      for (const wake of waiters) wake()
    })
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  exited.then(() => {
    running.delete(handle)
    for (const wake of waiters) wake()
  })

  const handle: StartedProcess = {
    child,
    output,
    exited,
    waitForLine(matches, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        let checked = 0
        const check = () => {
          for (; checked < output.length; checked++) {
            const line = output[checked]!
            if (matches(line)) return finish(() => resolve(line))
          }
          if (child.exitCode !== null || child.signalCode !== null)
            finish(() => reject(new Error(`${label} exited:\n${output.join('\n')}`)))
        }
        const timer = setTimeout(
          () => finish(() => reject(new Error(`timed out waiting for a line:\n${output.join('\n')}`))),
          timeoutMs,
        )
        const finish = (settle: () => void) => {
          clearTimeout(timer)
          waiters.delete(check)
          settle()
        }
        waiters.add(check)
        check()
      })
    },
    async stop(signal = 'SIGTERM', timeoutMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode
      child.kill(signal)
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
      const code = await exited
      clearTimeout(timer)
      return code
    },
  }
  running.add(handle)
  return handle
}

/** Kills whatever a test left running, so a failed assertion never leaves orphans behind. */
export async function stopAllProcesses(): Promise<void> {
  await Promise.all([...running].map((started) => started.stop('SIGKILL')))
}

process.once('exit', () => {
  for (const started of running) started.child.kill('SIGKILL')
})
