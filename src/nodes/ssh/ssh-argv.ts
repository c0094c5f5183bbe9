// The argv of the system OpenSSH client for one round trip to a member's host (issue 11, "Providers ->
// ssh"): never a password prompt (BatchMode), host keys always checked against known_hosts and never
// added (StrictHostKeyChecking=yes, not accept-new), one master connection per host reused by every
// round trip of the apply (ControlMaster=auto, a ControlPath in the apply's own temp dir, and
// ControlPersist=30 so that a master left by an apply that was SIGKILLed goes away within 30 s),
// and a connection that goes dead noticed within ~15 s (ServerAlive*). Whatever nodes.ssh leaves out
// comes from the user's ssh config and agent. The host is put after `--`, so a host spelled like an
// option is never read as one; the remote command is one word, already quoted (shell-quote.ts).
import {homedir} from 'node:os'
import {join} from 'node:path'
import type {SshNodes} from '../../spec/types.js'

/** The parts of nodes.ssh that shape the ssh command line. */
export type SshConnectOptions = Pick<SshNodes, 'config' | 'user' | 'port' | 'identityFile' | 'knownHosts'>

export const CONNECT_TIMEOUT_S = 10
export const CONTROL_PERSIST_S = 30

/**
 * A unix socket's path has room for 107 bytes on Linux (103 on macOS), and ssh makes a master's
 * socket as `<ControlPath>.<16 random characters>` before renaming it; with `%C` (40 hex digits) in a
 * dir `etcdplan-ssh-XXXXXX`, a long TMPDIR (macOS's /var/folders/..., a test's own temp dir) leaves no
 * room: ssh then fails with "too long for Unix domain socket". Such a TMPDIR is passed over for /tmp.
 */
export const SOCKET_PATH_MAX = 103
const CONTROL_DIR_NAME = 'etcdplan-ssh-XXXXXX'
const CONTROL_SOCKET_NAME = 40 + 1 + 16

/** Where the apply's control dir goes: the temp dir when a socket path below it fits, else /tmp. */
export function controlDirParent(tmp: string): string {
  return join(tmp, CONTROL_DIR_NAME, 'x').length - 1 + CONTROL_SOCKET_NAME <= SOCKET_PATH_MAX ? tmp : '/tmp'
}

/** The options every ssh run of this apply shares (the connection's identity and its master). */
export function sshOptionArgs(options: SshConnectOptions, controlDir: string): string[] {
  const args: string[] = []
  if (options.config !== undefined) args.push('-F', expandHome(options.config))
  args.push('-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes')
  if (options.knownHosts !== undefined) args.push('-o', `UserKnownHostsFile=${expandHome(options.knownHosts)}`)
  if (options.user !== undefined) args.push('-l', options.user)
  if (options.port !== undefined) args.push('-p', String(options.port))
  if (options.identityFile !== undefined) args.push('-i', expandHome(options.identityFile), '-o', 'IdentitiesOnly=yes')
  args.push(
    '-o', `ConnectTimeout=${CONNECT_TIMEOUT_S}`,
    '-o', 'ServerAliveInterval=5', '-o', 'ServerAliveCountMax=3',
    '-o', 'ControlMaster=auto', '-o', `ControlPath=${join(controlDir, '%C')}`, '-o', `ControlPersist=${CONTROL_PERSIST_S}`,
  )
  return args
}

/** `ssh OPTIONS -T -- HOST COMMAND`: no terminal (stdin is the helper script and its payload). */
export function sshRunArgv(options: SshConnectOptions, controlDir: string, host: string, remoteCommand: string): string[] {
  return [...sshOptionArgs(options, controlDir), '-T', '--', host, remoteCommand]
}

/** `ssh OPTIONS -O exit -- HOST`: ends the host's master connection. */
export function sshExitArgv(options: SshConnectOptions, controlDir: string, host: string): string[] {
  return [...sshOptionArgs(options, controlDir), '-O', 'exit', '--', host]
}

/** `~/x` as the user's home would make it (ssh expands some of its paths itself, not all of them in every version). */
export function expandHome(path: string): string {
  return path === '~' ? homedir() : path.startsWith('~/') ? join(homedir(), path.slice(2)) : path
}
