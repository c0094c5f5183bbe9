// The helper script every round trip runs on a member's host (share/etcdplan-host.sh) and the argv
// that runs it: `bash -c '<read exactly the script's bytes from stdin, then eval them>' etcdplan-host
// OP ARG...`. bash's `read -N` on a pipe reads byte by byte, so whatever follows the script on stdin
// (a config's content, a snapshot) is left for the operation's `cat`; the script itself is fixed
// text, and values only ever arrive as its arguments (quoted for the host's shell by the transport).
// LC_ALL=C makes `read -N` count bytes and the tools print what the script parses.
import {readFileSync} from 'node:fs'
import {packageFileUrl} from '../../package-file.js'

let script: Buffer | undefined

export function hostScript(): Buffer {
  script ??= readFileSync(packageFileUrl('share/etcdplan-host.sh'))
  return script
}

/** The remote argv for one operation of the helper script; `sudo -n` first when asked (never a password prompt). */
export function hostScriptArgv(op: string, args: readonly string[], sudo: boolean, scriptBytes = hostScript().length): string[] {
  const reader = `IFS= read -r -d "" -N ${scriptBytes} s && eval "$s"`
  return [...(sudo ? ['sudo', '-n'] : []), 'env', 'LC_ALL=C', 'bash', '-c', reader, 'etcdplan-host', op, ...args]
}
