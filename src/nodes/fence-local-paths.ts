// fenceMember's work on this machine's file system (the local provider): each path renamed beside
// itself to its fenced name (fenced-path.ts), never deleted; a path already gone is looked for under
// its fenced names, so a second call (after a kill, a lost reply, a resumed apply) reports where the
// first one put it.
import {lstat, readdir, rename} from 'node:fs/promises'
import {basename, dirname, join, resolve} from 'node:path'
import type {FencedPath} from './node-provider.js'
import {fencedPath, newestFencedName} from './fenced-path.js'

/** Tried names per path in one second: `<path>.removed-<stamp>`, `-2`, ... */
const CANDIDATES = 20

export async function fenceLocalPaths(paths: readonly string[], at: Date = new Date()): Promise<FencedPath[]> {
  const out: FencedPath[] = []
  for (const given of paths) {
    const path = resolve(given)
    if (await present(path)) {
      out.push({path: given, movedTo: await moveAside(path, at), earlier: false})
      continue
    }
    const earlier = newestFencedName(basename(path), await listDir(dirname(path)))
    out.push({path: given, movedTo: earlier === null ? null : join(dirname(path), earlier), earlier: earlier !== null})
  }
  return out
}

async function moveAside(path: string, at: Date): Promise<string> {
  for (let candidate = 1; candidate <= CANDIDATES; candidate++) {
    const aside = fencedPath(path, at, candidate)
    if (await present(aside)) continue
    await rename(path, aside)
    return aside
  }
  throw new Error(`could not move ${path} aside: ${fencedPath(path, at)} and ${CANDIDATES - 1} more names beside it are taken; move it aside by hand`)
}

/** Whether anything is at the path, a dangling symlink included (lstat: the link itself is what would be moved). */
async function present(path: string): Promise<boolean> {
  try {
    await lstat(path)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw error
  }
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
}
