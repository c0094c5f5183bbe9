// Runs the operator's DNS switch command (via: exec): argv without a shell, the target in the
// environment, a deadline after which the child is ended by its pid (SIGTERM, then SIGKILL). What the
// command printed is kept (its tail) for the error when it fails.
import {DnsSwitchError} from './dns-switch-error.js'
import {formatCommand} from './format-command.js'
import {formatMs, runProgram} from './run-program.js'

export interface DnsCommandRun {
  /** The last lines the command wrote to stdout and stderr, interleaved as they arrived. */
  readonly output: string
}

export async function runDnsCommand(argv: readonly string[], env: Readonly<Record<string, string>>, timeoutMs: number): Promise<DnsCommandRun> {
  const program = argv[0]
  const shown = formatCommand(argv)
  if (program === undefined || program === '') {
    throw new DnsSwitchError('dns.switch.command is empty', 'set dns.switch.command to the argv of a program that points the name at $ETCDPLAN_TARGET_ADDRESSES, then plan again')
  }
  const end = await runProgram(argv, {env, timeoutMs})
  if (end.kind === 'error') {
    throw new DnsSwitchError(
      `could not run the DNS switch command ${shown}: ${end.error.message}`,
      `check that dns.switch.command[0] (${program}) is an executable path or on PATH, then run apply again`,
    )
  }
  const timedOut = end.kind === 'unkillable' || end.timedOut
  if (timedOut) {
    const fate = end.kind === 'unkillable' ? `and did not end on SIGKILL (pid ${end.pid ?? '?'})` : 'and was killed'
    throw new DnsSwitchError(
      `the DNS switch command ${shown} did not finish within ${formatMs(timeoutMs)} ${fate}`,
      'find out whether the name was switched (the command may have done part of its work), make the command finish in time or raise timeouts.step, then run apply again',
      end.output,
    )
  }
  if (end.code !== 0) {
    const how = end.code === null ? `was killed by ${end.signal ?? 'a signal'}` : `exited with code ${end.code}`
    throw new DnsSwitchError(
      `the DNS switch command ${shown} ${how}`,
      'fix what its output says (the name may be partly switched), then run apply again: the step runs the command again',
      end.output,
    )
  }
  return {output: end.output}
}
