// The `switch-dns` step: move clients to the target members by pointing dns.name at their client
// addresses, the way dns.switch.via says (a command, a hosts file, a dynamic update at the DNS
// server, or the operator by hand). Failures are DnsSwitchErrors that say what to fix; the step is
// safe to run again (a hosts file or a server record that is already right is left alone, a command
// is expected to be idempotent).
//
// With rfc2136 the step then waits out the TTL of the records the name had before: a client (or a
// caching resolver) that asked just before the update may keep the old members' addresses that long,
// and the plan removes those members right after this step. On a rerun that finds the name already
// switched etcdplan cannot know when it changed, so it waits the current records' TTL again (the safe
// side: a longer old TTL is not known any more).
import {isIP} from 'node:net'
import {readFile, realpath, stat} from 'node:fs/promises'
import {setTimeout as sleepMs} from 'node:timers/promises'
import type {DnsOptions} from '../spec/types.js'
import {writeFileAtomic} from '../write-file-atomic.js'
import {expectedAddresses, sameAddresses} from './dns-addresses.js'
import {DnsSwitchError} from './dns-switch-error.js'
import {formatCommand} from './format-command.js'
import {hostsFileAddresses, rewriteHostsFile} from './hosts-file.js'
import {manualInstructions} from './manual-instructions.js'
import {observeAtServer, switchRfc2136} from './rfc2136.js'
import {runDnsCommand} from './run-dns-command.js'
import {formatMs} from './run-program.js'
import {checkDns, type DnsCheck} from './verify-dns.js'

export type DnsSwitchResult =
  /** Done now: the command succeeded, the hosts file or the record was rewritten or already right, or the operator confirmed. */
  | {
      readonly kind: 'switched'
      readonly detail: string
      /** Seconds clients may still hold the name's old records (rfc2136: their TTL); absent or 0: nothing to wait for. */
      readonly waitSeconds?: number
    }
  /** via: manual, not confirmed yet: show the instructions, then ask (or stop and wait for --confirm). */
  | {readonly kind: 'needs-operator'; readonly instructions: string}

export interface SwitchDnsOptions {
  /** The operator said the manual switch is done (--confirm switch-dns or yes at the prompt). */
  readonly confirmed: boolean
  /** Deadline for a switch command (via: exec) or a query and an update (via: rfc2136), and the longest TTL the step waits out (timeouts.step). */
  readonly timeoutMs: number
}

/** What etcdplan observes of the switch before acting. */
export interface DnsSwitchState {
  /** The name already leads to exactly the target addresses. */
  readonly switched: boolean
  /** When switched: seconds to wait before the step completes all the same (rfc2136: the records' TTL, see the top of this file). */
  readonly waitSeconds: number
}

/** A query at the DNS server that does not answer in this time (isDnsSwitched without a deadline) fails. */
const OBSERVE_TIMEOUT_MS = 10_000

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
    case 'rfc2136': {
      const result = await switchRfc2136(dns, addresses, {timeoutMs: options.timeoutMs, maxWaitMs: options.timeoutMs})
      // Already pointing: nothing changed now, but when it did is unknown; the caller waits the current TTL (observeDnsSwitch).
      return {kind: 'switched', detail: result.detail, waitSeconds: result.previous.ttl}
    }
  }
}

/**
 * Whether the switch is already done, as far as etcdplan can see ("observe before acting"): a hosts
 * file is read back, an rfc2136 name is asked at its server; a command's or an operator's switch is
 * remembered by the journal. Throws a DnsSwitchError when the rfc2136 server cannot be asked.
 */
export async function observeDnsSwitch(dns: DnsOptions, clientURLs: readonly string[], timeoutMs = OBSERVE_TIMEOUT_MS): Promise<DnsSwitchState> {
  switch (dns.switch.via) {
    case 'hosts-file':
      // The file itself, even when dns.resolver names a server to verify with.
      return {switched: (await checkDns({...dns, resolver: undefined}, clientURLs)).ok, waitSeconds: 0}
    case 'rfc2136': {
      const addresses = expectedAddresses(clientURLs)
      if (addresses.length === 0) return {switched: false, waitSeconds: 0}
      const records = await observeAtServer(dns, timeoutMs)
      return sameAddresses(records.addresses, addresses) ? {switched: true, waitSeconds: records.ttl} : {switched: false, waitSeconds: 0}
    }
    case 'exec':
    case 'manual':
      return {switched: false, waitSeconds: 0}
  }
}

export async function isDnsSwitched(dns: DnsOptions, clientURLs: readonly string[]): Promise<boolean> {
  return (await observeDnsSwitch(dns, clientURLs)).switched
}

export type DnsStepOutcome =
  | {readonly kind: 'done'; readonly detail: string; readonly waitedMs: number}
  | {readonly kind: 'needs-operator'; readonly instructions: string}
  /** Switched (or found switched), but dns.verify found the name leading elsewhere. */
  | {readonly kind: 'not-verified'; readonly check: DnsCheck}

export interface DnsStepOptions extends SwitchDnsOptions {
  /** Runs just before the switch changes anything (the step's gates); not when the switch is found done. */
  readonly beforeChange: () => Promise<void>
  /** Told what the step is waiting for, before a TTL wait. */
  readonly onWait?: (reason: string) => void
  /** The wait itself; a test may shorten it. Default: a timer. */
  readonly sleep?: (ms: number) => Promise<void>
}

/**
 * The step's work without the applier around it: observe, switch when not done, verify (dns.verify),
 * then wait out the old records' TTL. Throws DnsSwitchError.
 */
export async function switchAndVerify(dns: DnsOptions, clientURLs: readonly string[], options: DnsStepOptions): Promise<DnsStepOutcome> {
  const state = await observeDnsSwitch(dns, clientURLs, options.timeoutMs)
  let detail: string
  let wait: {seconds: number; why: string}
  if (state.switched) {
    detail = `${dns.name} already points at the target members`
    wait = {seconds: state.waitSeconds, why: "for the record's TTL (it already pointed at the targets, and when it changed is unknown: the full TTL again)"}
    if (wait.seconds * 1000 > options.timeoutMs) {
      throw new DnsSwitchError(
        `${dns.name}'s records have a TTL of ${wait.seconds} s, longer than timeouts.step (${formatMs(options.timeoutMs)}), the longest this step waits for clients to drop the old addresses`,
        `raise timeouts.step above ${wait.seconds} s (or lower the records' TTL, then wait out the old one), then run apply again`,
      )
    }
  } else {
    await options.beforeChange()
    const result = await switchDns(dns, clientURLs, options)
    if (result.kind === 'needs-operator') return result
    detail = result.detail
    wait = {seconds: result.waitSeconds ?? 0, why: "for the old record's TTL"}
  }
  let verified = ''
  if (dns.verify) {
    const check = await checkDns(dns, clientURLs)
    if (!check.ok) return {kind: 'not-verified', check}
    verified = `; verified: ${dns.name} → ${check.addresses.join(', ')}`
  }
  let waitedMs = 0
  let waited = ''
  if (wait.seconds > 0) {
    options.onWait?.(`waiting ${wait.seconds} s ${wait.why}: clients may still use the old members' addresses until then`)
    const started = performance.now()
    await (options.sleep ?? sleepMs)(wait.seconds * 1000)
    waitedMs = performance.now() - started
    waited = `; waited ${wait.seconds} s ${wait.why}`
  }
  return {kind: 'done', detail: `${detail}${verified}${waited}`, waitedMs}
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
