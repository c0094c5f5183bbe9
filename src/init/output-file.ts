// Where `init` writes its spec: checked before the cluster is asked (an existing file without
// --force, a missing directory), so that a refusal costs nothing and never leaves a half-made state;
// written atomically (temp file, fsync, rename), so a reader sees no file or the whole spec.
import {lstatSync} from 'node:fs'
import {directoryProblem} from '../directory-problem.js'
import {fsErrorReason} from '../fs-error-reason.js'
import {UserError} from '../user-error.js'
import {writeFileAtomic} from '../write-file-atomic.js'

/** Throws a UserError when `path` cannot take the spec: it exists (and no force), or its directory cannot be used. */
export function checkOutputFile(path: string, force: boolean): void {
  const problem = directoryProblem(path)
  const hint = 'choose a path in an existing directory you can write to with -o FILE'
  if (problem?.kind === 'missing') throw new UserError(`cannot write ${path}: its directory ${problem.directory} does not exist; nothing was written`, `create it first (mkdir -p ${problem.directory}), or ${hint}`, 1, 'invalid-flag')
  if (problem?.kind === 'file') throw new UserError(`cannot write ${path}: ${problem.file} is a file, not a directory; nothing was written`, hint, 1, 'invalid-flag')
  if (problem?.kind === 'unusable') throw new UserError(`cannot write ${path}: its directory ${problem.directory} cannot be used (${problem.reason}); nothing was written`, hint, 1, 'invalid-flag')
  let exists = false
  try {
    const stat = lstatSync(path)
    if (stat.isDirectory()) throw new UserError(`cannot write ${path}: it is a directory; nothing was written`, 'give the path of the spec file to write, e.g. -o etcdplan.yaml', 1, 'invalid-flag')
    exists = true
  } catch (error) {
    if (error instanceof UserError) throw error
    const code = (error as NodeJS.ErrnoException).code
    if (code !== 'ENOENT') throw new UserError(`cannot write ${path}: ${fsErrorReason(error)}; nothing was written`, hint, 1, 'invalid-flag')
  }
  if (exists && !force) {
    throw new UserError(`${path} already exists; init never overwrites a spec unless told to, and left it as it is`, `give another file with -o FILE, or add --force to replace ${path} with a spec read from the cluster now`, 1, 'output-exists')
  }
}

export async function writeSpecFile(path: string, text: string): Promise<void> {
  try {
    await writeFileAtomic(path, text)
  } catch (error) {
    throw new UserError(`cannot write ${path}: ${fsErrorReason(error)}; nothing was written`, 'choose a path in a directory you can write to with -o FILE', 1, 'invalid-flag')
  }
}
