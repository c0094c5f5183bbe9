import {Args, Flags} from '@oclif/core'
import {EtcdplanCommand} from '../cli/base-command.js'
import type {EmitEvent} from '../apply/apply-event.js'
import type {StateLock} from '../apply/state-lock.js'
import {writeSync} from 'node:fs'
import {interruptedReport, renderInterrupted} from '../apply/interrupted-message.js'

export default class ApplyCommand extends EtcdplanCommand {
  static override summary = 'Carry out a plan on the live cluster, step by step, resumably.'
  static override description = `FILE is a saved plan (from \`etcdplan plan -o\`) or a spec. A plan file is applied exactly as reviewed: apply refuses it when the cluster changed since ("Saved plan is stale"), when the file was edited, or when its spec changed. Given a spec, apply plans against the live cluster, shows the plan and asks for approval ("yes"), unless --auto-approve.

Every step observes the cluster first and acts only when needed: it evaluates exactly the preconditions the plan shows for it (every voter healthy, the member caught up, not the leader, ...), acts, then verifies its result and records it in the journal (.etcdplan/<name>/state.json by default). A saved plan must be what etcdplan plans from its spec and the cluster it records: a plan edited by hand is refused even with its content hash recomputed. Run the same command again after an interruption: finished steps are skipped and the apply resumes where it stopped. When a step fails, the steps that depend on it are listed as not run.

Members are acted on through the spec's nodes.provider: local (processes on this machine), ssh (each member's host over ssh: batch mode, host keys verified against known_hosts, one connection per host for the whole apply), exec (your commands) or manual. With manual, every host action (write a config, start, stop, restart, restore) is a step for the operator.

A step only the operator can do (a manual DNS switch, a host action with nodes.provider manual, an old member etcdplan's node provider cannot stop) stops the apply with exit code 3 and instructions; after doing it, run apply again with --confirm STEP_ID (e.g. --confirm switch-dns), or answer yes at the prompt. The step then checks that it really is done.

One apply of a migration runs at a time: apply takes the state lock (<journal>.lock, e.g. .etcdplan/<name>/state.json.lock) before it asks for approval or changes anything, and releases it when it ends, however it ends. While another apply holds it, apply fails at once with "Error acquiring the state lock" and the holder's ID, user, host, pid, plan and start time; --lock-timeout 5m waits for it instead. A lock left by an apply that is no longer running on this host is reported as stale with the command that removes it (etcdplan force-unlock ID).

Exit codes: 0 applied (or nothing to do), 1 error (nothing changed, or stopped resumably at a failed step), 3 waiting for the operator, 130 cancelled with Ctrl-C at a question or interrupted (the lock is released; apply says which step was running, how many of the steps are done, and the command that resumes: with --json as one {"type":"interrupted",...} line), 143 terminated (SIGTERM, likewise).`
  static override examples = [
    '<%= config.bin %> plan plans/runbook.yaml -o runbook.plan.json && <%= config.bin %> apply runbook.plan.json',
    '<%= config.bin %> apply plans/runbook.yaml --auto-approve',
    '<%= config.bin %> apply runbook.plan.json --confirm switch-dns',
    '<%= config.bin %> apply runbook.plan.json --json | jq -c "select(.type==\\"step-done\\")"',
    '<%= config.bin %> apply runbook.plan.json --lock-timeout 10m',
  ]
  static override args = {
    file: Args.string({description: 'A plan file (etcdplan plan -o) or a migration spec.', default: 'etcdplan.yaml'}),
  }
  static override flags = {
    'auto-approve': Flags.boolean({description: 'Apply a plan made from a spec without asking (a saved plan never asks: it was reviewed).', default: false}),
    spec: Flags.string({description: 'The spec of a saved plan (default: the spec file the plan records).'}),
    state: Flags.string({description: 'The journal file, in a directory that exists (default: .etcdplan/<name>/state.json, the only directory apply creates).'}),
    confirm: Flags.string({description: 'A step the operator has done by hand (its ID, e.g. switch-dns or stop-member/etcd1); repeatable. The step still checks it is done.', multiple: true, default: [], helpValue: 'STEP_ID'}),
    'lock-timeout': Flags.string({description: 'How long to wait for the state lock while another apply of this migration holds it (Go duration: 30s, 5m); 0s fails at once.', default: '0s', helpValue: 'DURATION'}),
    lock: Flags.boolean({description: 'Take the state lock (--no-lock: do not; only when you are certain no other apply of this migration can run).', default: true, allowNo: true}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ApplyCommand)
    const {loadPlanFileWithSpec, planFromSpec, SpecProblemsError} = await import('../apply/load-applied-plan.js')
    const {unreachable} = await import('../cluster/explain-unreachable.js')
    const {isPlanFile} = await import('../apply/apply-input-kind.js')
    const {savePlanBesideJournal, unfinishedPlanFor} = await import('../apply/unfinished-plan.js')
    const {resolveJournalPath} = await import('../apply/journal.js')
    const {parseLockTimeout} = await import('../apply/lock-timeout.js')
    const lockTimeoutMs = parseLockTimeout(flags['lock-timeout'])
    // Refuses a --state whose directory does not exist as soon as the migration's name is known: before the cluster is contacted.
    const journalPathFor = (name: string) => resolveJournalPath(flags.state, name).path
    const colour = this.useColour(flags['no-color'])
    let applied
    try {
      if (await isPlanFile(args.file)) {
        applied = await loadPlanFileWithSpec(args.file, flags.spec)
      } else {
        applied = await unfinishedPlanFor(args.file, journalPathFor)
        if (applied !== null && !flags.json) this.print(`Resuming the unfinished apply of ${applied.plan.name} (plan ${applied.source === 'plan-file' ? applied.planFile : ''}).`)
        applied ??= await planFromSpec(args.file)
      }
    } catch (error) {
      if (error instanceof SpecProblemsError) {
        const {renderDiagnostics, specInvalidJson} = await import('../render/render-diagnostics.js')
        if (flags.json) {
          this.print(specInvalidJson(error.message, error.hint, error.diagnostics))
          return this.exit(1)
        }
        this.printError(renderDiagnostics(error.diagnostics, {colour: this.useColour(flags['no-color'], process.stderr), sources: error.sources, subject: error.file}))
      }
      throw error
    }
    const {plan, spec} = applied
    const {refuseUnknownConfirms} = await import('../apply/check-confirms.js')
    refuseUnknownConfirms(flags.confirm, plan, spec.nodes.provider)
    const journal = resolveJournalPath(flags.state, spec.name)
    const journalPath = journal.path
    let planPath = applied.source === 'plan-file' ? applied.planFile : null
    // Set once steps run: a Ctrl-C from then on says where the journal stands and how to resume
    // (before, at the approval question, the question's own cancel applies).
    let resumeCommand: string | null = null
    const onSignal = (signal: NodeJS.Signals) => {
      if (resumeCommand !== null) this.sayInterrupted(signal, journalPath, resumeCommand, lock !== null, flags.json)
    }
    // Taken before approval and before anything changes the cluster or the journal; released however apply ends.
    const lock = flags.lock ? await this.lockState(journalPath, journal.createDir, spec.name, plan.contentHash, lockTimeoutMs, flags.json, onSignal) : null
    // --no-lock: no lock handlers to say it, so the same signals get their own (128 + the signal's number, as a shell reports it).
    if (lock === null) for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) process.once(signal, () => (onSignal(signal), process.exit(code)))
    try {
      if (applied.source === 'spec') {
        if (!flags.json) {
          const {renderPlan} = await import('../render/render-plan.js')
          this.print(renderPlan(plan, {colour}))
        }
        if (plan.steps.length === 0) return
        if (!flags['auto-approve']) await (await import('../cli/ask-approval.js')).askApproval()
        // Saved beside the journal, so that a stop (operator step, failure) can be resumed with this exact plan.
        planPath = await savePlanBesideJournal(journal, plan)
      }

      const {applyPlan} = await import('../apply/apply-plan.js')
      const {EXIT_WAITING_FOR_OPERATOR} = await import('../apply/apply-errors.js')
      const {endpointsFor} = await import('../cluster/observe-spec-cluster.js')
      const {ClusterUnreachableError} = await import('../cluster/observe-cluster.js')
      const {providerFor} = await import('../nodes/provider-for.js')
      const {ApplyProgressView} = await import('../render/apply-progress-view.js')
      const confirmed = new Set<string>(flags.confirm)
      const resumeWith = planPath ?? args.file
      const view = new ApplyProgressView(process.stdout, {json: flags.json, tty: process.stdout.isTTY === true, colour, planRef: resumeWith})
      const endpoints = endpointsFor(spec)
      const provider = providerFor(spec)
      const emit: EmitEvent = view.handle
      resumeCommand = `etcdplan apply ${resumeWith}`
      try {
        for (;;) {
          const outcome = await applyPlan({plan, spec, journalPath, provider, endpoints, confirmed, emit})
          if (outcome.status === 'complete') return
          view.close()
          const waiting = outcome.waiting.map((w) => w.stepId)
          const resume = `etcdplan apply ${resumeWith} ${[...confirmed, ...waiting].map((id) => `--confirm ${id}`).join(' ')}`
          if (!flags.json && (await (await import('../cli/ask-approval.js')).askOperatorDone(waiting.join(' and '), resume))) {
            for (const id of waiting) confirmed.add(id)
            continue
          }
          const one = waiting.length === 1
          this.printError(`Stopped at ${waiting.join(', ')}: ${one ? 'it is' : 'they are'} yours to do. When ${one ? 'it is' : 'they are'} done, run:\n  ${resume}`)
          return this.exit(EXIT_WAITING_FOR_OPERATOR)
        }
      } catch (error) {
        if (error instanceof ClusterUnreachableError) throw unreachable(error)
        throw error
      } finally {
        view.close()
        endpoints.close()
        await provider.close()
      }
    } finally {
      if (lock !== null && lock.release() === 'lost') this.printError(`Warning: the state lock ${lock.path} was removed while this apply held it (etcdplan force-unlock?); another apply may be running.`)
    }
  }

  /** Ctrl-C mid-apply: one line of JSON with --json, else a paragraph on stderr. Synchronous: the process exits right after. */
  private sayInterrupted(signal: NodeJS.Signals, journalPath: string, resume: string, lockReleased: boolean, json: boolean): void {
    // Loaded lazily would be too late in a signal handler; the module is small and has no dependencies beyond fs.
    const report = interruptedReport(signal, journalPath, resume, lockReleased)
    writeSync(json ? 1 : 2, json ? `${JSON.stringify(report)}\n` : renderInterrupted(report))
  }

  /** The state lock of this journal, taken (or waited for). */
  private async lockState(journalPath: string, createDirectory: boolean, name: string, planHash: string, timeoutMs: number, json: boolean, onSignal: (signal: NodeJS.Signals) => void): Promise<StateLock> {
    const {holdStateLock} = await import('../apply/hold-state-lock.js')
    const {newLockInfo} = await import('../apply/state-lock-info.js')
    const {formatAge} = await import('../apply/state-lock-messages.js')
    const lock = await holdStateLock({
      journalPath,
      createDirectory,
      info: newLockInfo({name, planHash, version: this.config.version}),
      timeoutMs,
      onSignal,
      onWait: (holder, path) =>
        json
          ? this.print(JSON.stringify({type: 'lock-wait', lockPath: path, timeoutMs, holder}))
          : this.printError(`Waiting up to ${formatAge(timeoutMs)} for the state lock ${path}, held by ${holder.user}@${holder.host} (pid ${holder.pid}, ${holder.operation} since ${holder.createdAt}, ID ${holder.id})...`),
    })
    if (lock.waitedMs > 0) {
      if (json) this.print(JSON.stringify({type: 'lock-acquired', lockPath: lock.path, waitedMs: lock.waitedMs}))
      else this.printError(`Acquired the state lock after ${formatAge(lock.waitedMs)}.`)
    }
    return lock
  }
}
