// What every etcdplan command shares: --json and --no-color, the colour decision, and error output.
// A UserError (bad input, stale plan, ...) is shown as `Error: message` and a hint, with its exit
// code and no stack trace; anything else is a bug in etcdplan and says so.
// Commands import the core with `await import()` inside run(): oclif imports every command file to
// list them, so a static import would make every command (and --help) pay for every other's modules.
import {Command, Flags} from '@oclif/core'
import {shouldUseColour} from '../render/should-use-colour.js'
import {UserError} from '../user-error.js'

export abstract class EtcdplanCommand extends Command {
  static override baseFlags = {
    json: Flags.boolean({description: 'Print machine-readable JSON on stdout instead of text.', default: false}),
    'no-color': Flags.boolean({description: 'Never colour the output (NO_COLOR=1 does the same; colour is only used on a terminal).', default: false}),
  }

  /** Colour only on a terminal, never with NO_COLOR or --no-color. */
  protected useColour(noColorFlag: boolean, stream: NodeJS.WriteStream = process.stdout): boolean {
    return shouldUseColour({isTTY: stream.isTTY === true, env: process.env, noColorFlag})
  }

  protected print(text: string): void {
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`)
  }

  protected printError(text: string): void {
    process.stderr.write(text.endsWith('\n') ? text : `${text}\n`)
  }

  protected override async catch(error: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<unknown> {
    if (error instanceof UserError) {
      if (this.argv.includes('--json')) {
        // One line: `apply --json` streams JSON lines, and its error must be one more line of them.
        this.print(JSON.stringify({type: 'error', error: {code: error.code, message: error.message, hint: error.hint ?? null, ...error.data}}))
      } else {
        this.printError(`Error: ${error.message}${error.hint ? `\n  ${error.hint}` : ''}`)
      }
      return this.exit(error.exitCode)
    }
    // oclif's own errors (unknown flag, missing argument, this.exit) are already user-facing.
    if (error.oclif !== undefined) throw error
    if (process.env.DEBUG) throw error
    this.printError(`Error: ${error.message}\n  This is a bug in etcdplan, not in your input. Rerun with DEBUG=1 for the stack trace and report it.`)
    return this.exit(70)
  }
}
