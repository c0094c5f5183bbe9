import {Args, Flags} from '@oclif/core'
import {EtcdplanCommand} from '../cli/base-command.js'
import type {EmitEvent} from '../apply/apply-event.js'
import {UserError} from '../user-error.js'

export default class ApplyCommand extends EtcdplanCommand {
  static override summary = 'Carry out a plan on the live cluster, step by step, resumably.'
  static override description = `FILE is a saved plan (from \`etcdplan plan -o\`) or a spec. A plan file is applied exactly as reviewed: apply refuses it when the cluster changed since ("Saved plan is stale"), when the file was edited, or when its spec changed. Given a spec, apply plans against the live cluster, shows the plan and asks for approval ("yes"), unless --auto-approve.

Every step observes the cluster first and acts only when needed, then verifies its result and records it in the journal (.etcdplan/<name>/state.json by default). Run the same command again after an interruption: finished steps are skipped and the apply resumes where it stopped. Before each membership change all voters must be healthy and new members caught up; leadership is moved off a member before it is removed or restarted.

A manual DNS switch stops the apply with exit code 3 and instructions; after doing it, run apply again with --confirm switch-dns (or answer yes at the prompt).

Exit codes: 0 applied (or nothing to do), 1 error (nothing changed, or stopped resumably at a failed step), 3 waiting for the operator.`
  static override examples = [
    '<%= config.bin %> plan plans/runbook.yaml -o runbook.plan.json && <%= config.bin %> apply runbook.plan.json',
    '<%= config.bin %> apply plans/runbook.yaml --auto-approve',
    '<%= config.bin %> apply runbook.plan.json --confirm switch-dns',
    '<%= config.bin %> apply runbook.plan.json --json | jq -c "select(.type==\\"step-done\\")"',
  ]
  static override args = {
    file: Args.string({description: 'A plan file (etcdplan plan -o) or a migration spec.', default: 'etcdplan.yaml'}),
  }
  static override flags = {
    'auto-approve': Flags.boolean({description: 'Apply a plan made from a spec without asking (a saved plan never asks: it was reviewed).', default: false}),
    spec: Flags.string({description: 'The spec of a saved plan (default: the spec file the plan records).'}),
    state: Flags.string({description: 'The journal file (default: .etcdplan/<name>/state.json).'}),
    confirm: Flags.string({description: 'Record a step the operator has done by hand as done.', options: ['switch-dns'], multiple: true, default: []}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ApplyCommand)
    const {isPlanFile, loadPlanFileWithSpec, planFromSpec, savedPlanPath, SpecProblemsError, unfinishedPlanFor, unreachable} = await import('../apply/load-applied-plan.js')
    const {defaultJournalPath} = await import('../apply/journal.js')
    const journalPathFor = (name: string) => flags.state ?? defaultJournalPath(name)
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
        const {renderDiagnostics} = await import('../render/render-diagnostics.js')
        this.printError(renderDiagnostics(error.diagnostics, {colour: this.useColour(flags['no-color'], process.stderr), sources: error.sources, subject: error.file}))
      }
      throw error
    }
    const {plan, spec} = applied
    const journalPath = journalPathFor(spec.name)
    let planPath = applied.source === 'plan-file' ? applied.planFile : null

    if (applied.source === 'spec') {
      if (!flags.json) {
        const {renderPlan} = await import('../render/render-plan.js')
        this.print(renderPlan(plan, {colour}))
      }
      if (plan.steps.length === 0) return
      if (!flags['auto-approve']) {
        if (!process.stdin.isTTY) {
          throw new UserError('apply needs approval, and there is no terminal to ask', 'pass --auto-approve, or save the plan with `etcdplan plan -o FILE`, review it, and `etcdplan apply FILE`')
        }
        const {ask} = await import('../cli/ask.js')
        const answer = await ask(`\nDo you want to perform these actions?\n  etcdplan will perform the actions described above.\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: `)
        if (answer !== 'yes') throw new UserError('apply cancelled; nothing was changed')
      }
      // Saved beside the journal, so that a stop (manual DNS, failure) can be resumed with this exact plan.
      const {writePlanFile} = await import('../plan/plan-file.js')
      const {dirname} = await import('node:path')
      const {mkdir} = await import('node:fs/promises')
      await mkdir(dirname(journalPath), {recursive: true})
      planPath = savedPlanPath(journalPath)
      await writePlanFile(planPath, plan)
    }

    const {applyPlan} = await import('../apply/apply-plan.js')
    const {EXIT_WAITING_FOR_OPERATOR} = await import('../apply/apply-errors.js')
    const {endpointsFor} = await import('../cluster/observe-spec-cluster.js')
    const {ClusterUnreachableError} = await import('../cluster/observe-cluster.js')
    const {providerFor} = await import('../nodes/provider-for.js')
    const {ApplyProgressView} = await import('../render/apply-progress-view.js')
    const {PLAN_PLACEHOLDER} = await import('../dns/switch-dns.js')
    const confirmed = new Set<string>(flags.confirm)
    const view = new ApplyProgressView(process.stdout, {json: flags.json, tty: process.stdout.isTTY === true, colour})
    const endpoints = endpointsFor(spec)
    const resumeWith = planPath ?? args.file
    // The core words its instructions with a placeholder for the plan; only the command knows the path.
    const emit: EmitEvent = (event) => view.handle(event.type === 'operator-needed' ? {...event, instructions: event.instructions.replaceAll(`apply ${PLAN_PLACEHOLDER}`, `apply ${resumeWith}`)} : event)
    try {
      for (;;) {
        const outcome = await applyPlan({plan, spec, journalPath, provider: providerFor(spec), endpoints, confirmed, emit})
        if (outcome.status === 'complete') return
        view.close()
        const resume = `etcdplan apply ${resumeWith} --confirm switch-dns`
        if (!flags.json && process.stdin.isTTY) {
          const {ask} = await import('../cli/ask.js')
          const answer = await ask(`\n  Type 'yes' once ${outcome.stepId} is done (anything else stops here; resume later with: ${resume}): `)
          if (answer === 'yes') {
            confirmed.add('switch-dns')
            continue
          }
        }
        this.printError(`Stopped at ${outcome.stepId}: it is yours to do. When it is done, run:\n  ${resume}`)
        return this.exit(EXIT_WAITING_FOR_OPERATOR)
      }
    } catch (error) {
      if (error instanceof ClusterUnreachableError) throw unreachable(error)
      throw error
    } finally {
      view.close()
      endpoints.close()
    }
  }
}
