// The `switch-dns` step: move clients to the target members by pointing dns.name at their client
// addresses, the way dns.switch.via says (a command, a hosts file, or the operator by hand). Failures
// are DnsSwitchErrors that say what to fix; the step is safe to run again (a hosts file that is
// already right is left alone, a command is expected to be idempotent).
import {isIP} from 'node:net'
import {readFile, realpath, stat} from 'node:fs/promises'
import type {DnsOptions} from '../spec/types.js'
import {writeFileAtomic} from '../write-file-atomic.js'
import {expectedAddresses, sameAddresses} from './dns-addresses.js'
import {DnsSwitchError} from './dns-switch-error.js'
import {formatCommand} from './format-command.js'
import {hostsFileAddresses, rewriteHostsFile} from './hosts-file.js'
import {manualInstructions} from './manual-instructions.js'
import {runDnsCommand} from './run-dns-command.js'
import {checkDns} from './verify-dns.js'

export type DnsSwitchResult =
  /** Done now: the command succeeded, the hosts file was rewritten or already right, or the operator confirmed. */
  | {readonly kind: 'switched'; readonly detail: string}
  /** via: manual, not confirmed yet: show the instructions, then ask (or stop and wait for --confirm). */
  | {readonly kind: 'needs-operator'; readonly instructions: string}

export interface SwitchDnsOptions {
  /** The operator said the manual switch is done (--confirm switch-dns or yes at the prompt). */
  readonly confirmed: boolean
  /** Deadline for a switch command (via: exec). */
  readonly timeoutMs: number
}

export async function switchDns(dns: DnsOptions, clientURLs: readonly string[], options: SwitchDnsOptions): Promise<DnsSwitchResult> {
  const addresses = expectedAddresses(clientURLs)
  if (addresses.length === 0) {
    throw new DnsSwitchError(`there are no target client URLs to point ${dns.name} at`, 'this is a plan without target members; plan again from a spec with target members')
  }
  switch (dns.switch.via) {
    case 'manual':
      if (options.confirmed) return {kind: 'switched', detail: 'confirmed by the operator'}
      return {kind: 'needs-operator', instructions: manualInstructions(dns.name, clientURLs, addresses)}
    case 'exec':
      return switchByCommand(dns, clientURLs, addresses, options.timeoutMs)
    case 'hosts-file':
      return switchHostsFile(dns, addresses)
    case 'rfc2136':
      // validate refuses it first (src/spec/supported-features.ts); a guard for callers that build DnsOptions themselves.
      throw new DnsSwitchError(
        'dns.switch.via rfc2136 is not supported yet',
        'use via: exec with a command that runs nsupdate, e.g. command: [sh, -c, \'...| nsupdate -k /path/to/key\'] building the update from $ETCDPLAN_DNS_NAME and $ETCDPLAN_TARGET_ADDRESSES, then plan again',
      )
  }
}

/**
 * Whether the switch is already done, as far as etcdplan can see ("observe before acting"): only a
 * hosts file can be read back; a command's or an operator's switch is remembered by the journal.
 */
export async function isDnsSwitched(dns: DnsOptions, clientURLs: readonly string[]): Promise<boolean> {
  if (dns.switch.via !== 'hosts-file') return false
  return (await checkDns(dns, clientURLs)).ok
}

async function switchByCommand(dns: DnsOptions, clientURLs: readonly string[], addresses: readonly string[], timeoutMs: number): Promise<DnsSwitchResult> {
  const command = dns.switch.command
  if (command === undefined || command.length === 0) {
    throw new DnsSwitchError('dns.switch.via is exec but dns.switch.command is not set', 'set dns.switch.command to the argv of a program that points the name at $ETCDPLAN_TARGET_ADDRESSES, then plan again')
  }
  await runDnsCommand(command, {
    ETCDPLAN_DNS_NAME: dns.name,
    ETCDPLAN_TARGET_CLIENT_URLS: clientURLs.join(','),
    ETCDPLAN_TARGET_ADDRESSES: addresses.join(','),
  }, timeoutMs)
  return {kind: 'switched', detail: `ran ${formatCommand(command)} for ${dns.name} → ${addresses.join(', ')}`}
}

async function switchHostsFile(dns: DnsOptions, addresses: readonly string[]): Promise<DnsSwitchResult> {
  const file = dns.switch.file
  if (file === undefined || file === '') {
    throw new DnsSwitchError('dns.switch.via is hosts-file but dns.switch.file is not set', 'set dns.switch.file to the hosts-format file to rewrite (e.g. /etc/hosts), then plan again')
  }
  const names = addresses.filter((address) => isIP(address) === 0)
  if (names.length > 0) {
    throw new DnsSwitchError(
      `a hosts file maps names to IP addresses, but the target client URLs use the host name${names.length === 1 ? '' : 's'} ${names.join(', ')}`,
      'use IP addresses in the target members\' client URLs, or switch the name with via: exec or via: manual',
    )
  }
  // Rewrite the file a symlink points at, never replace the symlink with a copy.
  let path: string
  let content: string
  let mode: number
  try {
    path = await realpath(file)
    content = await readFile(path, 'utf8')
    mode = (await stat(path)).mode & 0o7777
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') {
      throw new DnsSwitchError(`the hosts file ${file} (dns.switch.file) does not exist`, `check the path in dns.switch.file, or create the file (even empty: touch ${file}), then run apply again`)
    }
    throw new DnsSwitchError(`cannot read the hosts file ${file}: ${(error as Error).message}`, 'run apply as a user that can read and write it, or fix its permissions')
  }
  if (sameAddresses(hostsFileAddresses(content, dns.name), addresses)) {
    return {kind: 'switched', detail: `${file} already points ${dns.name} at ${addresses.join(', ')}`}
  }
  try {
    await writeFileAtomic(path, rewriteHostsFile(content, dns.name, addresses), {mode})
  } catch (error) {
    throw new DnsSwitchError(`cannot rewrite the hosts file ${file}: ${(error as Error).message}`, 'run apply as a user that can write the file and its directory (the file is replaced by a rename), then run apply again')
  }
  return {kind: 'switched', detail: `rewrote ${file}: ${dns.name} → ${addresses.join(', ')}`}
}
