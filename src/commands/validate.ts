import {Args} from '@oclif/core'
import {EtcdplanCommand} from '../cli/base-command.js'

export default class Validate extends EtcdplanCommand {
  static override summary = 'Check a migration spec and report every problem at once.'
  static override description = `Reads the spec (YAML), checks it against schemas/spec.schema.json and every rule etcdplan knows (unique names and URLs, kept members unchanged, TLS settings matching URL schemes and each member's certificates, quorum, and only what this version can carry out: a member's host with provider local, or cluster.tls without ca, is refused), and tries to plan it offline so that a spec that cannot be migrated safely is reported here too.

Each problem is printed as FILE:LINE:COL: error|warning: message, with a hint; --json prints {valid, errors, warnings, diagnostics: [{severity, code, message, hint, file, line, col, path}]}. Exits 0 when the spec is valid (warnings allowed), 1 when it is not.`
  static override examples = ['<%= config.bin %> validate', '<%= config.bin %> validate plans/runbook.yaml', '<%= config.bin %> validate plans/runbook.yaml --json']
  static override args = {
    spec: Args.string({description: 'Path to the migration spec.', default: 'etcdplan.yaml'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Validate)
    const {planSpecFile} = await import('../plan/plan-spec-file.js')
    const {renderDiagnostics, diagnosticsToJson} = await import('../render/render-diagnostics.js')
    const result = await planSpecFile(args.spec)
    if (flags.json) this.print(JSON.stringify(diagnosticsToJson(result.diagnostics), null, 2))
    else this.print(renderDiagnostics(result.diagnostics, {colour: this.useColour(flags['no-color']), sources: result.sources, subject: args.spec}))
    if (result.plan === null) this.exit(1)
  }
}
