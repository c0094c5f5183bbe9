// Runs the operator's DNS switch command (via: exec): argv without a shell, the target in the
// environment, a deadline after which the child is ended by its pid (SIGTERM, then SIGKILL). What the
// command printed is kept (its tail) for the error when it fails.
import {spawn} from 'node:child_process'
import {setTimeout as sleep} from 'node:timers/promises'
import {DnsSwitchError} from './dns-switch-error.js'
import {formatCommand} from './format-command.js'

/** Lines of output an error carries. */
const OUTPUT_LINES = 20
/** Output kept while the command runs; only its tail is ever shown. */
const OUTPUT_BYTES = 64 * 1024
/** Time between SIGTERM and SIGKILL, and how long to wait for the end after SIGKILL. */
const KILL_GRACE_MS = 2000
/** setTimeout's largest delay; a longer one would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1
/** After the command exits, how long to wait for its output streams to close (a background child may hold them). */
const DRAIN_MS = 500

export interface DnsCommandRun {
  /** The last lines the command wrote to stdout and stderr, interleaved as they arrived. */
  readonly output: string
}

export async function runDnsCommand(argv: readonly string[], env: Readonly<Record<string, string>>, timeoutMs: number): Promise<DnsCommandRun> {
  const [program, ...args] = argv
  const shown = formatCommand(argv)
  if (program === undefined || program === '') {
    throw new DnsSwitchError('dns.switch.command is empty', 'set dns.switch.command to the argv of a program that points the name at $ETCDPLAN_TARGET_ADDRESSES, then plan again')
  }
  const child = spawn(program, args, {env: {...process.env, ...env}, stdio: ['ignore', 'pipe', 'pipe']})
  const chunks: Buffer[] = []
  let kept = 0
  const collect = (chunk: Buffer): void => {
    chunks.push(chunk)
    kept += chunk.length
    while (kept > OUTPUT_BYTES && chunks.length > 1) kept -= chunks.shift()!.length
  }
  child.stdout.on('data', collect)
  child.stderr.on('data', collect)
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()))

  type End =
    | {readonly kind: 'exit'; readonly code: number | null; readonly signal: NodeJS.Signals | null}
    | {readonly kind: 'error'; readonly error: Error}
    | {readonly kind: 'unkillable'}
  let timedOut = false as boolean
  const timers: NodeJS.Timeout[] = []
  const end = await new Promise<End>((resolve) => {
    child.once('error', (error) => resolve({kind: 'error', error}))
    child.once('exit', (code, signal) => resolve({kind: 'exit', code, signal}))
    timers.push(setTimeout(() => {
      timedOut = true
      kill(child.pid, 'SIGTERM')
      timers.push(setTimeout(() => {
        kill(child.pid, 'SIGKILL')
        timers.push(setTimeout(() => resolve({kind: 'unkillable'}), KILL_GRACE_MS))
      }, KILL_GRACE_MS))
    }, Math.min(Math.max(timeoutMs, 0), MAX_TIMER_MS)))
  }).finally(() => {
    for (const timer of timers) clearTimeout(timer)
  })
  // The command is gone; its output streams close at once unless something it started holds them.
  await Promise.race([closed, sleep(DRAIN_MS)])
  child.stdout.destroy()
  child.stderr.destroy()
  const output = tail(Buffer.concat(chunks).toString('utf8'), OUTPUT_LINES)

  if (end.kind === 'error') {
    throw new DnsSwitchError(
      `could not run the DNS switch command ${shown}: ${end.error.message}`,
      `check that dns.switch.command[0] (${program}) is an executable path or on PATH, then run apply again`,
    )
  }
  if (timedOut) {
    const fate = end.kind === 'unkillable' ? `and did not end on SIGKILL (pid ${child.pid ?? '?'})` : 'and was killed'
    throw new DnsSwitchError(
      `the DNS switch command ${shown} did not finish within ${formatMs(timeoutMs)} ${fate}`,
      'find out whether the name was switched (the command may have done part of its work), make the command finish in time or raise timeouts.step, then run apply again',
      output,
    )
  }
  if (end.kind === 'unkillable' || end.code !== 0) {
    const how = end.kind === 'unkillable' ? 'did not end' : end.code === null ? `was killed by ${end.signal ?? 'a signal'}` : `exited with code ${end.code}`
    throw new DnsSwitchError(
      `the DNS switch command ${shown} ${how}`,
      'fix what its output says (the name may be partly switched), then run apply again: the step runs the command again',
      output,
    )
  }
  return {output}
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

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`
}
