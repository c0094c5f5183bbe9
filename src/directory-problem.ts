// Why a file cannot go at a path because of its directory: missing, a file, or unusable. Checked
// before etcdplan does anything else, so that a mistyped --state or -o path is refused up front
// instead of silently creating a directory (a second journal beside the real one) or failing at the end.
import {statSync} from 'node:fs'
import {dirname} from 'node:path'
import {fsErrorReason} from './fs-error-reason.js'

export type DirectoryProblem =
  /** `directory` (the path's own directory) does not exist. */
  | {readonly kind: 'missing'; readonly directory: string}
  /** `file`, an ancestor of the path, is not a directory. */
  | {readonly kind: 'file'; readonly file: string}
  | {readonly kind: 'unusable'; readonly directory: string; readonly reason: string}

/** The problem with the directory of `path`, or null when it is an existing directory. */
export function directoryProblem(path: string): DirectoryProblem | null {
  const directory = dirname(path)
  let code: string | undefined
  try {
    if (statSync(directory).isDirectory()) return null
  } catch (error) {
    code = (error as NodeJS.ErrnoException).code
    if (code !== 'ENOENT' && code !== 'ENOTDIR') return {kind: 'unusable', directory, reason: fsErrorReason(error)}
  }
  const file = fileAncestor(path)
  if (file !== null) return {kind: 'file', file}
  return {kind: 'missing', directory}
}

/** The nearest ancestor of `path` that exists and is not a directory, if any. */
export function fileAncestor(path: string): string | null {
  for (let dir = dirname(path); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      if (!statSync(dir).isDirectory()) return dir
    } catch {
      // missing, or below a file: keep going up
    }
  }
  return null
}
