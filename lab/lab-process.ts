// Running the lab's commands (ip, ssh-keygen, nsenter, ssh) and ending the lab's processes by pid.
// Every command gets an argv, never a shell line, and its output is collected and returned; the lab
// prints nothing itself. A process is "alive" only while /proc says it runs and is not a zombie, and
// its identity is its pid together with its start time, so a recycled pid is never mistaken for it.
import {execFileSync, spawn} from 'node:child_process'
import {readFileSync, readlinkSync} from 'node:fs'

export interface RunResult {
  readonly status: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

export interface RunOptions {
  readonly input?: string
  /** Killed (SIGKILL) after this long; the result then has status null. Default 30 s. */
  readonly timeoutMs?: number
}

/** Runs argv to its end and returns what it printed; never throws for a failing command (only for one that cannot start). */
export function run(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const [command, ...args] = argv
  if (command === undefined) return Promise.reject(new Error('run: empty argv'))
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {stdio: ['pipe', 'pipe', 'pipe']})
    const stdout: Buffer[] = []
    const stderr: Buffer[] = []
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000)
    child.once('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.once('close', (status, signal) => {
      clearTimeout(timer)
      resolve({status, signal, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8')})
    })
    // A command that exits without reading its stdin would otherwise fail the write with EPIPE.
    child.stdin.on('error', () => {})
    child.stdin.end(options.input ?? '')
  })
}

/** run, but throws (with the command and its stderr) unless it exits 0. */
export async function runOk(argv: readonly string[], options: RunOptions = {}): Promise<string> {
  const result = await run(argv, options)
  if (result.status !== 0) throw new Error(`${argv.join(' ')} failed (${result.status ?? result.signal}): ${result.stderr.trim() || result.stdout.trim()}`)
  return result.stdout
}

/** Synchronous run for the exit-time cleanup, where no promise can settle any more; never throws. */
export function runSync(argv: readonly string[]): string {
  const [command, ...args] = argv
  if (command === undefined) return ''
  try {
    return execFileSync(command, args, {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000})
  } catch {
    return ''
  }
}

/** The start time of pid (field 22 of /proc/PID/stat, in clock ticks since boot), or null when it is gone or a zombie. */
export function processStartTime(pid: number): string | null {
  let stat: string
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return null
  }
  // The command name (field 2) is in parentheses and may hold spaces: split after its closing one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  if (fields[0] === 'Z' || fields[0] === 'X') return null
  return fields[19] ?? null
}

/** Whether pid runs (not a zombie) and, with startTime, is the very process that had it. */
export function isAlive(pid: number, startTime?: string): boolean {
  const now = processStartTime(pid)
  return now !== null && (startTime === undefined || now === startTime)
}

/** Sends signal to each pid that still runs; a pid already gone is not an error. */
export function signalAll(pids: readonly number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal)
    } catch {
      // gone already
    }
  }
}

/** Resolves true once none of pids runs, false if some still run after timeoutMs. */
export async function waitGone(pids: readonly number[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (pids.every((pid) => !isAlive(pid))) return true
    if (Date.now() > deadline) return false
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** SIGTERM, then SIGKILL for what is still there after graceMs; resolves once all are gone (or 5 s after the SIGKILL). */
export async function terminate(pids: readonly number[], graceMs: number): Promise<boolean> {
  signalAll(pids, 'SIGTERM')
  if (await waitGone(pids, graceMs)) return true
  signalAll(pids, 'SIGKILL')
  return waitGone(pids, 5_000)
}

/** The executable of pid (the target of /proc/PID/exe), or null. */
export function processExe(pid: number): string | null {
  try {
    return readlinkSync(`/proc/${pid}/exe`)
  } catch {
    return null
  }
}
