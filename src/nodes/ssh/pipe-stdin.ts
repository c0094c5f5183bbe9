// Feeds a child's stdin from parts (bytes, then files streamed from disk) and closes it. A child that
// exits without reading all of it (the helper script refused early) closes the pipe: that EPIPE is
// its answer, not an error of the apply, so it is swallowed here and the exit status tells.
import type {ChildProcess} from 'node:child_process'
import {createReadStream} from 'node:fs'
import {pipeline} from 'node:stream/promises'
import type {StdinPart} from './host-transport.js'

export async function pipeStdin(child: ChildProcess, parts: readonly StdinPart[]): Promise<void> {
  const stdin = child.stdin
  if (stdin === null) return
  stdin.on('error', () => {})
  try {
    for (const part of parts) {
      if (Buffer.isBuffer(part)) {
        if (!stdin.write(part)) await new Promise<void>((resolve) => { stdin.once('drain', resolve); stdin.once('close', resolve) })
      } else {
        await pipeline(createReadStream(part.file), stdin, {end: false})
      }
      if (stdin.destroyed) return
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EPIPE' || stdin.destroyed) return
    throw error
  } finally {
    if (!stdin.destroyed) stdin.end()
  }
}
