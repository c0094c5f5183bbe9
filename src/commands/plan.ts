import {Args, Flags} from '@oclif/core'
import {EtcdplanCommand} from '../cli/base-command.js'
import {UserError} from '../user-error.js'

export default class PlanCommand extends EtcdplanCommand {
  static override summary = 'Show the steps that move the cluster to the target, and optionally save them as a plan file.'
  static override description = `Diffs the cluster's membership against the spec's target and prints the ordered steps: members added one at a time (as learners by default), promoted when caught up, DNS switched, leadership moved away, old members removed, configs rewritten, members restarted. Each step shows the voters, quorum and failures tolerated after it; each config the plan writes is shown as a diff.

By default the plan is made against the live cluster: its members are read from the spec's endpoints, so a migration that stopped half-way is planned from where it is (a member already added is started, promoted or removed as needed), and differences between the spec's source and the live cluster are reported. A live join plan also reads the etcd versions — each member's, the cluster version, and the etcd binary on each new member's host through the node provider — refuses a new member whose etcd cannot join (older than the cluster version, or more than one minor ahead: upgrade one minor at a time, e.g. 3.4 → 3.5 with the new members' own \`etcd:\`), and says the cluster version the target ends at. With --offline the plan is made from the spec's source members alone, without contacting the cluster; apply checks the live cluster against it before changing anything.

With --rollback the plan returns a partly applied migration to its source cluster: read from the migration's journal (.etcdplan/<name>/state.json, or --state) and the live cluster, it removes the members the migration added (leadership moved off them first), points DNS back at the source members if the apply had started switching it, and verifies the source members. Source members' configs need no restoring: etcdplan never writes them. It is saved with -o and applied with \`etcdplan apply FILE\` like any plan, with its own journal (.etcdplan/<name>-rollback/). Every plan marks its point of no return (join: the first removal of a source member; snapshot: stopping the old members): past it --rollback refuses (exit 1, nothing changed), saying what was removed or stopped and what remains possible.

-o writes the plan file for review (deterministic: the same spec and cluster give the same bytes), into a directory that must exist. --json prints the plan; a spec with errors prints one line {"type":"error","error":{"code":"spec-invalid","message":...,"hint":...,"diagnostics":[{severity, code, message, hint, file, line, col, path}]}} instead. Exit codes: 0 success, 1 error; with --detailed-exitcode 0 = no changes, 1 = error, 2 = changes present.`
  static override examples = [
    '<%= config.bin %> plan plans/runbook.yaml',
    '<%= config.bin %> plan plans/runbook.yaml -o runbook.plan.json',
    '<%= config.bin %> plan plans/runbook.yaml --offline',
    '<%= config.bin %> plan plans/runbook.yaml --offline -o plans/runbook.plan.json',
    '<%= config.bin %> plan plans/runbook.yaml --offline --json | jq .summary',
    '<%= config.bin %> plan plans/runbook.yaml --rollback -o runbook-rollback.plan.json && <%= config.bin %> apply runbook-rollback.plan.json',
  ]
  static override args = {
    spec: Args.string({description: 'Path to the migration spec.', default: 'etcdplan.yaml'}),
  }
  static override flags = {
    offline: Flags.boolean({description: "Plan from the spec's source members without contacting the cluster.", default: false, exclusive: ['rollback']}),
    rollback: Flags.boolean({description: 'Plan the way back to the source cluster from the journal of a partly applied migration (refused past its point of no return).', default: false}),
    state: Flags.string({description: "With --rollback: the migration's journal, when apply was given --state (default .etcdplan/<name>/state.json).", helpValue: 'PATH'}),
    out: Flags.string({char: 'o', description: 'Write the plan file here (review it, then `etcdplan apply FILE`).'}),
    'detailed-exitcode': Flags.boolean({description: 'Exit 0 when there are no changes, 2 when there are, 1 on error.', default: false}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(PlanCommand)
    if (flags.state !== undefined && !flags.rollback) throw new UserError('--state is only read with --rollback (the journal a rollback is planned from); nothing was planned', 'add --rollback, or leave --state out', 1, 'invalid-flag')
    // Before planning (which may ask the cluster), not after the plan has been shown.
    if (flags.out !== undefined) await checkPlanOutput(flags.out)
    const {planSpecFile} = await import('../plan/plan-spec-file.js')
    const {renderDiagnostics, specInvalidJson} = await import('../render/render-diagnostics.js')
    const colour = this.useColour(flags['no-color'])
    const result = flags.offline ? await planSpecFile(args.spec) : flags.rollback ? await this.planRollback(args.spec, flags.state) : await this.planLive(args.spec)
    if (result.plan === null && flags.json) {
      this.print(specInvalidJson(`${args.spec} has errors; no plan was made`, `fix them (\`etcdplan validate ${args.spec}\`), then plan again`, result.diagnostics))
      return this.exit(1)
    }
    const problems = result.diagnostics.length > 0
    if (result.plan === null || (problems && !flags.json)) {
      // Warnings go to stderr so that stdout stays the plan; errors end here.
      this.printError(renderDiagnostics(result.diagnostics, {colour: this.useColour(flags['no-color'], process.stderr), sources: result.sources, subject: args.spec}))
    }
    if (result.plan === null) return this.exit(1)
    const plan = result.plan
    const {serialisePlan, writePlanFile} = await import('../plan/plan-file.js')
    if (flags.json) {
      this.print(serialisePlan(plan))
    } else {
      const {renderPlan} = await import('../render/render-plan.js')
      this.print(renderPlan(plan, {colour}))
    }
    if (flags.out !== undefined) {
      await writePlanFile(flags.out, plan)
      const message = `Saved the plan to: ${flags.out}\n\nTo perform exactly these actions, run:\n  etcdplan apply ${flags.out}`
      if (flags.json) this.printError(message)
      else this.print(`\n${message}`)
    }
    if (flags['detailed-exitcode'] && plan.steps.length > 0) this.exit(2)
  }

  private async planRollback(spec: string, state: string | undefined) {
    const {planRollback} = await import('../rollback/plan-rollback.js')
    const {observeForPlanning} = await import('../plan/observe-for-planning.js')
    const {ClusterUnreachableError} = await import('../cluster/observe-cluster.js')
    try {
      return await planRollback(spec, {observe: observeForPlanning, ...(state === undefined ? {} : {state})})
    } catch (error) {
      if (!(error instanceof ClusterUnreachableError)) throw error
      const {unreachable} = await import('../cluster/explain-unreachable.js')
      throw unreachable(error)
    }
  }

  private async planLive(spec: string) {
    const {planSpecFile} = await import('../plan/plan-spec-file.js')
    const {observeForPlanning} = await import('../plan/observe-for-planning.js')
    const {ClusterUnreachableError} = await import('../cluster/observe-cluster.js')
    try {
      return await planSpecFile(spec, observeForPlanning)
    } catch (error) {
      if (!(error instanceof ClusterUnreachableError)) throw error
      const {unreachable} = await import('../cluster/explain-unreachable.js')
      throw unreachable(error)
    }
  }
}

/** Refuses -o into a directory that is not there; etcdplan never creates directories for a plan file. */
async function checkPlanOutput(out: string): Promise<void> {
  const {directoryProblem} = await import('../directory-problem.js')
  const problem = directoryProblem(out)
  if (problem === null) return
  const hint = 'choose a path in an existing directory you can write to, e.g. -o plans/NAME.plan.json'
  if (problem.kind === 'missing') throw new UserError(`cannot write the plan file ${out}: its directory ${problem.directory} does not exist; nothing was planned`, `create it first (mkdir -p ${problem.directory}), or ${hint}`)
  if (problem.kind === 'file') throw new UserError(`cannot write the plan file ${out}: ${problem.file} is a file, not a directory; nothing was planned`, hint)
  throw new UserError(`cannot write the plan file ${out}: its directory ${problem.directory} cannot be used (${problem.reason}); nothing was planned`, hint)
}
