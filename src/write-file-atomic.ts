// temp file, fsync, rename, fsync the directory: a reader (or a process killed mid-write) sees the
// old content or the new, never a truncated file. Used for the journal, configs and pid files.
import {mkdir, open, rename, rm} from 'node:fs/promises'
import {dirname, resolve} from 'node:path'

export interface WriteFileAtomicOptions {
  readonly mode?: number
  /** Called once the temp file holds the new content, just before the rename (a crash-test seam). */
  readonly beforeRename?: () => void
}

export async function writeFileAtomic(path: string, content: string, {mode = 0o644, beforeRename}: WriteFileAtomicOptions = {}): Promise<void> {
  const directory = dirname(resolve(path))
  await mkdir(directory, {recursive: true})
  const temp = `${path}.${process.pid}.tmp`
  try {
    const handle = await open(temp, 'w', mode)
    try {
      await handle.writeFile(content)
      await handle.sync()
    } finally {
      await handle.close()
    }
    beforeRename?.()
    await rename(temp, path)
  } catch (error) {
    await rm(temp, {force: true})
    throw error
  }
  await syncDirectory(directory)
}

/** fsync of a directory: makes a rename or a new entry in it durable. */
export async function syncDirectory(directory: string): Promise<void> {
  const dir = await open(directory, 'r')
  try {
    await dir.sync()
  } finally {
    await dir.close()
  }
}
