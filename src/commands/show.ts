import {Args, Flags} from '@oclif/core'
import {EtcdplanCommand} from '../cli/base-command.js'

export default class Show extends EtcdplanCommand {
  static override summary = 'Render a saved plan file for humans, for a pull request, or as JSON.'
  static override description = `Reads a plan file written by \`etcdplan plan -o\`, checks that it is intact (format version, schema, content hash) and prints it. --format markdown renders it for pasting into a pull request (with the step graph as a mermaid block); --json prints the plan itself.

--graph mermaid|dot prints only the graph of the steps: one node per step (number, action, id, how many checks apply makes before it), an arrow from each step to the steps that wait for it, operator stops as hexagons (apply stops there for you: a manual DNS switch) and steps where apply may stop for the operator dashed (with nodes.provider manual, when the spec the plan records is there and unchanged, every step on a member's host). Mermaid renders in pull requests on GitHub and GitLab (paste it in a \`\`\`mermaid block); DOT is for Graphviz.`
  static override examples = ['<%= config.bin %> show plans/runbook.plan.json', '<%= config.bin %> show plans/runbook.plan.json --format markdown > plan.md',
    '<%= config.bin %> show plans/runbook.plan.json --graph mermaid',
    '<%= config.bin %> show plans/runbook.plan.json --graph dot | dot -Tsvg > plan.svg',
  ]
  static override args = {
    plan: Args.string({description: 'Path to the plan file.', required: true}),
  }
  static override flags = {
    format: Flags.string({description: 'Output format.', options: ['text', 'markdown', 'json'], default: 'text'}),
    graph: Flags.string({description: 'Print only the graph of the steps, in this language (instead of --format).', options: ['mermaid', 'dot']}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Show)
    const {readPlanFile, serialisePlan} = await import('../plan/plan-file.js')
    const plan = await readPlanFile(args.plan)
    if (flags.graph !== undefined) {
      const {specNodeProvider} = await import('../plan/spec-node-provider.js')
      const provider = await specNodeProvider(plan)
      const {renderGraphMermaid} = await import('../render/render-graph-mermaid.js')
      const {renderGraphDot} = await import('../render/render-graph-dot.js')
      return this.print(flags.graph === 'dot' ? renderGraphDot(plan, {provider}) : renderGraphMermaid(plan, {provider}))
    }
    if (flags.json || flags.format === 'json') return this.print(serialisePlan(plan))
    if (flags.format === 'markdown') {
      const {renderPlanMarkdown} = await import('../render/render-plan-markdown.js')
      return this.print(renderPlanMarkdown(plan))
    }
    const {renderPlan} = await import('../render/render-plan.js')
    this.print(renderPlan(plan, {colour: this.useColour(flags['no-color'])}))
  }
}
