// Runs a program (never through a shell) with stdin fed from parts, and collects its exit status
// and output: the common part of the ssh transport and the test's local one.
import {spawn} from 'node:child_process'
import type {HostRunResult, StdinPart} from './host-transport.js'
import {pipeStdin} from './pipe-stdin.js'

export interface ChildRun extends HostRunResult {
  /** Set when the program could not be run at all (ENOENT, EACCES). */
  readonly spawnError: Error | null
}

export async function runChild(program: string, argv: readonly string[], stdin: readonly StdinPart[], env?: NodeJS.ProcessEnv): Promise<ChildRun> {
  const child = spawn(program, argv, {stdio: ['pipe', 'pipe', 'pipe'], ...(env === undefined ? {} : {env})})
  const stdout: Buffer[] = []
  const stderr: Buffer[] = []
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk))
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk))
  const done = new Promise<{status: number; spawnError: Error | null}>((resolve) => {
    child.once('error', (error) => resolve({status: -1, spawnError: error}))
    // 'close', not 'exit': all of stdout is read by then.
    child.once('close', (code, signal) => resolve({status: code ?? (signal === null ? -1 : 128), spawnError: null}))
  })
  const fed = pipeStdin(child, stdin).catch(() => {})
  const {status, spawnError} = await done
  await fed
  return {status, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr).toString('utf8'), spawnError}
}
