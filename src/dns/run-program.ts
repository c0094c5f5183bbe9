// Runs a program for the DNS switch (the operator's command for via: exec, nsupdate for via:
// rfc2136): an argv without a shell, optional input on stdin, a deadline after which the child is
// ended by its pid (SIGTERM, then SIGKILL). What it printed is kept (its tail) for error messages;
// the callers turn the outcome into a DnsSwitchError in their own words.
import {spawn} from 'node:child_process'
import {setTimeout as sleep} from 'node:timers/promises'

/** Lines of output an error carries. */
const OUTPUT_LINES = 20
/** Output kept while the program runs; only its tail is ever shown. */
const OUTPUT_BYTES = 64 * 1024
/** Time between SIGTERM and SIGKILL, and how long to wait for the end after SIGKILL. */
const KILL_GRACE_MS = 2000
/** setTimeout's largest delay; a longer one would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1
/** After the program exits, how long to wait for its output streams to close (a background child may hold them). */
const DRAIN_MS = 500

export interface ProgramOptions {
  /** Added to this process's environment. */
  readonly env?: Readonly<Record<string, string>>
  /** Written to stdin, which is then closed; without it stdin is /dev/null. */
  readonly input?: string
  readonly timeoutMs: number
}

export type ProgramEnd =
  /** It exited (or was killed: `signal`), or was ended after the deadline when `timedOut`. */
  | {readonly kind: 'exit'; readonly code: number | null; readonly signal: NodeJS.Signals | null; readonly timedOut: boolean; readonly output: string}
  /** It could not be started (ENOENT, EACCES): `error`. */
  | {readonly kind: 'error'; readonly error: Error; readonly output: string}
  /** It outlived the deadline and did not end on SIGKILL either. */
  | {readonly kind: 'unkillable'; readonly pid: number | undefined; readonly output: string}

export async function runProgram(argv: readonly string[], options: ProgramOptions): Promise<ProgramEnd> {
  const [program, ...args] = argv
  if (program === undefined || program === '') return {kind: 'error', error: new Error('the command is empty'), output: ''}
  const child = spawn(program, args, {env: {...process.env, ...options.env}, stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe']})
  if (options.input !== undefined && child.stdin !== null) {
    // A program that exits without reading its input must not crash us with EPIPE.
    child.stdin.on('error', () => {})
    child.stdin.end(options.input)
  }
  const chunks: Buffer[] = []
  let kept = 0
  const collect = (chunk: Buffer): void => {
    chunks.push(chunk)
    kept += chunk.length
    while (kept > OUTPUT_BYTES && chunks.length > 1) kept -= chunks.shift()!.length
  }
  const stdout = child.stdout!
  const stderr = child.stderr!
  stdout.on('data', collect)
  stderr.on('data', collect)
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()))

  type Raw = {readonly kind: 'exit'; readonly code: number | null; readonly signal: NodeJS.Signals | null} | {readonly kind: 'error'; readonly error: Error} | {readonly kind: 'unkillable'}
  let timedOut = false as boolean
  const timers: NodeJS.Timeout[] = []
  const end = await new Promise<Raw>((resolve) => {
    child.once('error', (error) => resolve({kind: 'error', error}))
    child.once('exit', (code, signal) => resolve({kind: 'exit', code, signal}))
    timers.push(setTimeout(() => {
      timedOut = true
      kill(child.pid, 'SIGTERM')
      timers.push(setTimeout(() => {
        kill(child.pid, 'SIGKILL')
        timers.push(setTimeout(() => resolve({kind: 'unkillable'}), KILL_GRACE_MS))
      }, KILL_GRACE_MS))
    }, Math.min(Math.max(options.timeoutMs, 0), MAX_TIMER_MS)))
  }).finally(() => {
    for (const timer of timers) clearTimeout(timer)
  })
  // The program is gone; its output streams close at once unless something it started holds them.
  await Promise.race([closed, sleep(DRAIN_MS)])
  stdout.destroy()
  stderr.destroy()
  child.stdin?.destroy()
  const output = tail(Buffer.concat(chunks).toString('utf8'), OUTPUT_LINES)
  switch (end.kind) {
    case 'error':
      return {kind: 'error', error: end.error, output}
    case 'unkillable':
      return {kind: 'unkillable', pid: child.pid, output}
    case 'exit':
      return {kind: 'exit', code: end.code, signal: end.signal, timedOut, output}
  }
}

/** 5000 → "5s", 1500 → "1500ms". */
export function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`
}

function kill(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return
  try {
    process.kill(pid, signal)
  } catch {
    // Already gone.
  }
}

function tail(text: string, lines: number): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n')
}
