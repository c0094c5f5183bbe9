// Why the `switch-dns` step could not move clients to the target members (a command failed or timed
// out, the hosts file is missing, the switch is not configured). The operator fixes it and runs apply
// again, so it is a UserError. The message alone is enough to act on (the applier shows only it):
// what failed, what to do, then the command's last lines of output when there are any.
import {UserError} from '../user-error.js'

export class DnsSwitchError extends UserError {
  constructor(
    /** What failed, in one sentence. */
    readonly problem: string,
    /** What to do about it, in one sentence. */
    readonly remedy: string,
    /** The last lines of the switch command's stdout and stderr ('' when no command ran). */
    readonly output = '',
  ) {
    super(`${problem}. ${capitalise(remedy)}.${output === '' ? '' : `\n  Its last output:\n${indent(output)}`}`, undefined, 1, 'dns-switch-failed')
    this.name = 'DnsSwitchError'
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

function indent(text: string): string {
  return text.split('\n').map((line) => `    ${line}`).join('\n')
}
