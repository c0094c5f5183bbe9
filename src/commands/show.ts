import {Args, Flags} from '@oclif/core'
import {EtcdplanCommand} from '../cli/base-command.js'

export default class Show extends EtcdplanCommand {
  static override summary = 'Render a saved plan file for humans, for a pull request, or as JSON.'
  static override description = `Reads a plan file written by \`etcdplan plan -o\`, checks that it is intact (format version, schema, content hash) and prints it. --format markdown renders it for pasting into a pull request; --json prints the plan itself.`
  static override examples = ['<%= config.bin %> show plans/runbook.plan.json', '<%= config.bin %> show plans/runbook.plan.json --format markdown > plan.md']
  static override args = {
    plan: Args.string({description: 'Path to the plan file.', required: true}),
  }
  static override flags = {
    format: Flags.string({description: 'Output format.', options: ['text', 'markdown', 'json'], default: 'text'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Show)
    const {readPlanFile, serialisePlan} = await import('../plan/plan-file.js')
    const plan = await readPlanFile(args.plan)
    if (flags.json || flags.format === 'json') return this.print(serialisePlan(plan))
    if (flags.format === 'markdown') {
      const {renderPlanMarkdown} = await import('../render/render-plan-markdown.js')
      return this.print(renderPlanMarkdown(plan))
    }
    const {renderPlan} = await import('../render/render-plan.js')
    this.print(renderPlan(plan, {colour: this.useColour(flags['no-color'])}))
  }
}
