// `etcdplan force-unlock LOCK_ID`: removes the state lock an apply left behind (terraform's
// force-unlock). Thin: finding, reading and removing locks is src/apply/state-lock.ts; this decides
// where to look, refuses a lock a running apply holds, and asks before removing.
import {Args, Flags} from '@oclif/core'
import {EtcdplanCommand} from '../cli/base-command.js'
import {UserError} from '../user-error.js'

export default class ForceUnlock extends EtcdplanCommand {
  static override summary = 'Remove the state lock an interrupted apply left behind.'
  static override description = `Every apply holds its migration's state lock (.etcdplan/<name>/state.json.lock, or <journal>.lock with --state) while it runs, so that two applies never work on the same migration at once, and releases it when it ends. An apply that was killed (SIGKILL, a crash, a machine that went down) leaves the lock behind, and the next apply fails with "Error acquiring the state lock", the lock's ID and, when the holder's pid is gone from this host, "the lock is STALE" and this command.

force-unlock removes the lock with that ID, and only that one: LOCK_ID must match the ID in the lock file, so a lock taken since by another apply is never removed by mistake. The lock is looked for in the --state journal's lock, else in the lock of SPEC's migration (default etcdplan.yaml, when it exists), else in every .etcdplan/*/state.json.lock under the current directory.

It refuses while the holder's process still runs on this host (an apply is in progress: let it finish or stop it, and it releases the lock itself), unless --force. It asks for confirmation at a terminal; --force removes without asking, and is required without a terminal. Removing the lock does not change the journal or the cluster: run the same apply again and it resumes where the journal stopped.

Exit codes: 0 removed, 1 refused (no lock with that ID, holder still running, not confirmed) or error.`
  static override examples = [
    {description: 'Remove the lock an interrupted apply left (the ID is in the "Error acquiring the state lock" message).', command: '<%= config.bin %> force-unlock 6d3f0a52-8f1e-4c7a-9b5e-2f1c0d9e4a11'},
    {description: 'The lock of a journal kept elsewhere.', command: '<%= config.bin %> force-unlock 6d3f0a52-8f1e-4c7a-9b5e-2f1c0d9e4a11 --state /srv/etcdplan/runbook/state.json'},
    {description: 'The lock of the runbook migration, without asking (scripts, CI).', command: '<%= config.bin %> force-unlock 6d3f0a52-8f1e-4c7a-9b5e-2f1c0d9e4a11 plans/runbook.yaml --force'},
  ]
  static override args = {
    lock_id: Args.string({description: 'The ID of the lock to remove, as "Error acquiring the state lock" prints it.', required: true}),
    spec: Args.string({description: 'The migration spec whose lock to remove (default: etcdplan.yaml, when it exists; otherwise every .etcdplan/*/state.json.lock is searched).'}),
  }
  static override flags = {
    state: Flags.string({description: "The journal whose lock to remove; its directory must exist (default: .etcdplan/<name>/state.json, <name> being the spec's name).", helpValue: 'FILE'}),
    force: Flags.boolean({description: 'Remove without asking, even while the holder still runs on this host.', default: false}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ForceUnlock)
    const lock = await import('../apply/state-lock.js')
    const id = args.lock_id.trim()
    const found = await lock.readLocks(await this.candidatePaths(args.spec, flags.state, flags['no-color']))
    const match = found.find((f) => f.info?.id === id)
    if (match === undefined || match.info === null) throw noSuchLock(id, found, flags.state ?? args.spec)
    const holder = match.info
    const state = lock.holderState(holder)
    if (state === 'running' && !flags.force) {
      throw new UserError(
        `the lock ${id} is held by an ${holder.operation} that is still running: pid ${holder.pid} on this host, since ${holder.createdAt}; removing the lock would let a second apply run alongside it`,
        `let it finish, or stop it (kill ${holder.pid}: it releases the lock itself); --force removes the lock anyway`,
      )
    }
    if (!flags.force) {
      if (!process.stdin.isTTY) throw new UserError('force-unlock needs confirmation, and there is no terminal to ask', 'pass --force once you are sure no apply of this migration is running')
      const {ask} = await import('../cli/ask.js')
      this.printError(lock.formatLockInfo(holder, match.path))
      const answer = await ask(`\nDo you really want to force-unlock?\n  etcdplan will remove the lock ${match.path}. This lets another apply of "${holder.name}" run, even though\n  it may still be in use. Only 'yes' will be accepted to confirm.\n\n  Enter a value: `)
      if (answer !== 'yes') throw new UserError('force-unlock cancelled; the lock is still held', undefined, 1, 'cancelled')
    }
    const info = lock.formatLockInfo(holder, match.path)
    const removed = await lock.removeStateLock(match.path, id)
    if (removed === 'gone') throw new UserError(`the lock ${id} was released before force-unlock could remove it: there is nothing to unlock`)
    if (removed === 'other') throw new UserError(`${match.path} was taken by another apply while force-unlock ran; it no longer has the ID ${id} and was left alone`, 'run the apply again to see who holds it now')
    if (flags.json) {
      this.print(JSON.stringify({removed: true, path: match.path, holder: state, lock: holder}, null, 2))
      return
    }
    this.print(`etcdplan state has been successfully unlocked: removed ${match.path}\n\n${info}\n\nThe journal and the cluster are unchanged. Run the same apply again: it resumes where the journal stopped.`)
  }

  /** Where the lock can be: --state's, else SPEC's (or etcdplan.yaml's), else every default-path lock. */
  private async candidatePaths(specArg: string | undefined, state: string | undefined, noColor: boolean): Promise<string[]> {
    const {findStateLocks, lockPathFor} = await import('../apply/state-lock.js')
    if (state !== undefined) {
      // A mistyped --state would only say "no lock with that ID"; say which directory is not there.
      const {checkStateDirectory} = await import('../apply/journal.js')
      checkStateDirectory(state)
      return [state.endsWith('.lock') ? state : lockPathFor(state)]
    }
    const {existsSync} = await import('node:fs')
    const specFile = specArg ?? (existsSync('etcdplan.yaml') ? 'etcdplan.yaml' : undefined)
    if (specFile !== undefined) {
      const {loadSpecFile} = await import('../spec/load-spec.js')
      const loaded = await loadSpecFile(specFile)
      if (loaded.spec === null) {
        const {renderDiagnostics} = await import('../render/render-diagnostics.js')
        const sources = new Map(loaded.text === null ? [] : [[specFile, loaded.text]])
        this.printError(renderDiagnostics(loaded.diagnostics, {colour: this.useColour(noColor, process.stderr), sources, subject: specFile}))
        throw new UserError(`cannot tell the migration from ${specFile}, which has errors`, 'fix it, or name the journal with --state FILE')
      }
      const {defaultJournalPath} = await import('../apply/journal.js')
      const own = lockPathFor(defaultJournalPath(loaded.spec.name))
      // A spec named on the command line means its lock only; the default spec is only a first guess.
      if (specArg !== undefined) return [own]
      return [own, ...(await findStateLocks()).filter((path) => path !== own)]
    }
    return findStateLocks()
  }
}

function noSuchLock(id: string, found: ReadonlyArray<{path: string; info: {id: string; user: string; host: string; pid: number} | null; problem: string | null}>, where: string | undefined): UserError {
  if (found.length === 0) {
    return new UserError(`no state lock has the ID ${id}: there is no lock ${where === undefined ? 'in .etcdplan/*/state.json.lock' : `for ${where}`}`, 'there is nothing to unlock; if apply reported a lock, run force-unlock from the directory apply ran in, or pass its --state', 1, 'lock-not-found')
  }
  const held = found.map((f) => (f.info === null ? `${f.problem}` : `${f.path} has the ID ${f.info.id} (${f.info.user}@${f.info.host}, pid ${f.info.pid})`))
  const corrupt = found.filter((f) => f.info === null).map((f) => f.path)
  return new UserError(
    `no state lock has the ID ${id}; ${held.join('; ')}`,
    corrupt.length > 0
      ? `a lock file that is not readable has no ID to give: once no apply of that migration runs, delete it by hand (rm ${corrupt.join(' ')})`
      : 'give the ID that "Error acquiring the state lock" printed (a lock another apply has taken since is never removed by mistake)',
    1,
    'lock-not-found',
  )
}
