// What the two demos share (`npm run demo` on this machine, `npm run demo:hosts` across the lab's
// hosts): headings, the client's figures, the proof that nothing was lost, and running etcdplan as a
// user would — the command bin/etcdplan with the terminal as its stdio, `$ etcdplan ...` printed first.
import {spawn, type ChildProcess} from 'node:child_process'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {messageOf} from '../src/cluster/etcd-failure.js'
import {verifyKeys, type KeyLoadOptions} from './load-keys.js'
import {verifyAcknowledged, type WriterFigures} from './writer.js'

/** The repository: this file runs as <root>/dist/lab/*.js. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const CLI = join(ROOT, 'bin', 'etcdplan')
/** How long a spawned etcdplan may take to exit after Ctrl-C before it is killed. */
const CHILD_EXIT_GRACE_MS = 5000

const styled = process.stdout.isTTY === true && !process.env.NO_COLOR
export const bold = (text: string): string => (styled ? `\x1b[1m${text}\x1b[22m` : text)
export const number = (n: number): string => n.toLocaleString('en-US')

export function say(text: string): void {
  process.stdout.write(`\n${bold(text)}\n`)
}

export function printFigures(figures: WriterFigures, intervalMs: number): void {
  say(`The client's figures (a put every ${intervalMs} ms during the whole migration):`)
  const rows: [string, string][] = [
    ['puts acknowledged', number(figures.acknowledged)],
    ['failed attempts', number(figures.failedAttempts)],
    ['longest write stall', `${number(Math.round(figures.maxStallMs))} ms`],
  ]
  for (const [label, value] of rows) process.stdout.write(`  ${label.padEnd(22)}${value.padStart(8)}\n`)
  if (figures.errors.size > 0) {
    process.stdout.write('  errors the client saw (it retried each on the next endpoint):\n')
    for (const [message, count] of [...figures.errors].sort((a, b) => b[1] - a[1]).slice(0, 5)) process.stdout.write(`    ${String(count).padStart(5)} × ${message}\n`)
  }
}

/** All loaded keys intact and every acknowledged put readable at `urls`; prints each check. */
export async function verifyNothingLost(urls: readonly string[], where: string, keys: KeyLoadOptions, figures: WriterFigures): Promise<boolean> {
  let ok = true
  try {
    const check = await verifyKeys(urls, keys)
    const keysOk = check.missing.length === 0 && check.wrong.length === 0
    ok &&= keysOk
    process.stdout.write(
      keysOk
        ? `  ✓ all ${number(keys.count)} keys present with their values (read from ${where})\n`
        : `  ✗ keys: ${check.missing.length} missing, ${check.wrong.length} with another value (first: ${[...check.missing, ...check.wrong].slice(0, 3).join(', ')})\n`,
    )
  } catch (error) {
    ok = false
    process.stdout.write(`  ✗ could not read the keys: ${messageOf(error)}\n`)
  }
  try {
    const lost = await verifyAcknowledged(urls, figures.acked)
    ok &&= lost.length === 0
    process.stdout.write(
      lost.length === 0
        ? `  ✓ every acknowledged write (${number(figures.acknowledged)}) is readable\n`
        : `  ✗ ${lost.length} acknowledged writes are missing or wrong (first: ${lost.slice(0, 3).join(', ')})\n`,
    )
  } catch (error) {
    ok = false
    process.stdout.write(`  ✗ could not read the acknowledged writes: ${messageOf(error)}\n`)
  }
  return ok
}

/** The demo's running etcdplan (so that Ctrl-C can end it first) and whether Ctrl-C came. */
export interface CliRunner {
  child: ChildProcess | null
  interrupted: boolean
}

/**
 * Prints `$ etcdplan ARGS` and runs the CLI with the terminal as its stdio (so its own colours and
 * progress show) in `cwd`, where it keeps its journal. Asynchronous: the writer keeps writing.
 */
export function etcdplan(runner: CliRunner, cwd: string, args: readonly string[]): Promise<number> {
  if (runner.interrupted) return Promise.reject(new Error('interrupted'))
  say(`$ etcdplan ${args.join(' ')}`)
  return new Promise((resolvePromise, reject) => {
    const child = spawn(CLI, args, {cwd, stdio: 'inherit'})
    runner.child = child
    child.once('error', (error) => {
      runner.child = null
      reject(new Error(`could not run etcdplan: ${error.message}`))
    })
    child.once('exit', (code, signal) => {
      runner.child = null
      if (runner.interrupted) reject(new Error('interrupted'))
      else resolvePromise(code ?? (signal === null ? 1 : 128))
    })
  })
}

/** An etcdplan interrupted mid-step must be gone before its members are stopped, or it could start one again. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((r) => child.once('exit', () => r()))
  child.kill('SIGINT')
  const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_EXIT_GRACE_MS)
  await exited
  clearTimeout(timer)
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}
