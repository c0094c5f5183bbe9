// Whether the lab of separate hosts can run on this machine, and if not, what to do about it. Tests
// on the lab call labUnavailable() and fail (never skip) with its message: CI runs them as root with
// the tools installed by scripts/ensure-lab-tools.sh, so a missing tool is a broken machine.
import {accessSync, constants, existsSync} from 'node:fs'
import {delimiter, isAbsolute, join} from 'node:path'

/** command → the Debian package that has it. */
const TOOLS: ReadonlyArray<readonly [string, string]> = [
  ['ip', 'iproute2'],
  ['unshare', 'util-linux'],
  ['nsenter', 'util-linux'],
  ['mount', 'mount'],
  ['/usr/sbin/sshd', 'openssh-server'],
  ['/usr/lib/openssh/sftp-server', 'openssh-sftp-server'],
  ['ssh', 'openssh-client'],
  ['ssh-keygen', 'openssh-client'],
  ['sleep', 'coreutils'],
]

/** What is missing for the lab on this machine, with what to do; null when it can run. */
export function labUnavailable(): string | null {
  const problems: string[] = []
  if (process.platform !== 'linux') return `The lab of separate hosts needs Linux (network and mount namespaces); this is ${process.platform}.`
  if (process.getuid?.() !== 0) problems.push('it must run as root (it creates network namespaces, a bridge and bind mounts): run the tests as root, as CI does')
  const missing = TOOLS.filter(([command]) => findCommand(command) === null)
  if (missing.length > 0) {
    const packages = [...new Set(missing.map(([, pkg]) => pkg))].join(' ')
    problems.push(`missing ${missing.map(([command]) => command).join(', ')} (on PATH for the commands without a path): run \`bash scripts/ensure-lab-tools.sh\` as root (Debian/Ubuntu), or install ${packages}`)
  }
  if (!existsSync('/proc/self/ns/net') || !existsSync('/proc/self/ns/mnt')) problems.push('this kernel has no network or mount namespaces (/proc/self/ns/net, /proc/self/ns/mnt)')
  if (problems.length === 0) return null
  return `The lab of separate hosts (lab/netns-lab.ts) cannot run here: ${problems.join('; ')}.`
}

/**
 * The command's path (an absolute command as it is, any other looked up on PATH, as the lab spawns
 * it), or null.
 */
export function findCommand(command: string): string | null {
  if (isAbsolute(command)) return executable(command) ? command : null
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (dir === '') continue
    const path = join(dir, command)
    if (executable(path)) return path
  }
  return null
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}
