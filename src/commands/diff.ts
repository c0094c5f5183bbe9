import {Args} from '@oclif/core'
import {EtcdplanCommand} from '../cli/base-command.js'
import {UserError} from '../user-error.js'

export default class Diff extends EtcdplanCommand {
  static override summary = 'Show what changed between two plans of the same migration.'
  static override description = `Reads both plan files, checks each like \`show\` does (format version, schema, content hash), and prints what a reviewer of the newer plan must look at again: the spec (its hash), the observed cluster (fingerprint, members, leader, members down, etcd versions, configs found on hosts), the planned members, the steps added (+), removed (-), moved (↕, their order relative to the others) and changed (~, with each field and check that differs), every config a step writes differently as a unified diff, the warnings and the summary.

Exit codes, like diff(1): 0 the plans are the same, 1 they differ, 2 trouble (a file missing, unreadable or not an intact plan, or plans of two different migrations). --json prints {same, name, old, new, specHash, strategy, options, observation, members, steps, configs, warnings, summary, other}.`
  static override examples = [
    {description: 'Review a plan made again after the spec or the cluster changed', command: '<%= config.bin %> diff reviewed.plan.json new.plan.json'},
    {description: 'In a script: only the step ids that changed', command: "<%= config.bin %> diff old.plan.json new.plan.json --json | jq '.steps.changed[].id'"},
    {description: 'Fail a CI job when the committed plan is out of date', command: '<%= config.bin %> plan etcdplan.yaml --offline -o /tmp/now.plan.json && <%= config.bin %> diff plans/etcdplan.plan.json /tmp/now.plan.json'},
  ]
  static override args = {
    old: Args.string({description: 'The older plan file (the one reviewed).', required: true}),
    new: Args.string({description: 'The newer plan file.', required: true}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Diff)
    const {readPlanFile} = await import('../plan/plan-file.js')
    const {diffPlans, DIFF_EXIT_TROUBLE} = await import('../diff/diff-plans.js')
    // Like diff(1), trouble is 2, so that 1 always means "the plans differ".
    const read = (file: string) => readPlanFile(file).catch((error: unknown) => {
      throw error instanceof UserError ? new UserError(error.message, error.hint, DIFF_EXIT_TROUBLE, error.code, error.data) : error
    })
    const [before, after] = [await read(args.old), await read(args.new)]
    const diff = diffPlans(before, after, {old: args.old, new: args.new})
    if (flags.json) this.print(JSON.stringify(diff, null, 2))
    else {
      const {renderPlanDiff} = await import('../render/render-plan-diff.js')
      this.print(renderPlanDiff(diff, {colour: this.useColour(flags['no-color'])}))
    }
    if (!diff.same) this.exit(1)
  }
}
