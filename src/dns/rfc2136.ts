// via: rfc2136 — point dns.name at the target members by a dynamic update (RFC 2136) signed with a
// TSIG key, sent by `nsupdate -k KEYFILE` (an argv, never a shell; the update script on stdin). One
// update replaces the whole A and AAAA set of the name, so no moment has a mix of old and new (the
// server applies an update atomically). Observes before acting: the name is first asked at the same
// server; when it already has exactly the target addresses nothing is sent.
//
// Target addresses must be IP addresses: an A/AAAA record holds an address, and a host name in a
// client URL resolved here would be a copy that silently goes stale when that name moves. The
// secret never appears in a message: nsupdate's output is scrubbed of every secret in the key file.
import {readFile} from 'node:fs/promises'
import {isIP} from 'node:net'
import type {DnsOptions, Rfc2136Options} from '../spec/types.js'
import {sameAddresses} from './dns-addresses.js'
import {DnsQueryError, formatServer, parseServer, queryRecords, serverByAddress, type RecordSet, type ServerAddress} from './dns-query.js'
import {DnsSwitchError} from './dns-switch-error.js'
import {formatCommand} from './format-command.js'
import {formatMs, runProgram} from './run-program.js'

export interface Rfc2136Update {
  readonly server: ServerAddress
  /** Fully qualified, with or without the trailing dot. */
  readonly zone: string
  readonly name: string
  readonly ttl: number
  readonly addresses: readonly string[]
}

export interface Rfc2136Switch {
  readonly detail: string
  /** Whether an update was sent (false: the name already had exactly the target addresses). */
  readonly updated: boolean
  /** The records the name had at the server before (what clients may still hold for `previous.ttl` seconds). */
  readonly previous: RecordSet
}

export interface TsigKey {
  /** The key's name (shown in messages); null when the file does not say. */
  readonly name: string | null
  /** Every secret in the file, so that no output shows one. */
  readonly secrets: readonly string[]
}

/** The dns.switch.rfc2136 settings, or a DnsSwitchError saying which is missing. */
export function rfc2136Options(dns: DnsOptions): Rfc2136Options {
  const options = dns.switch.rfc2136
  if (options === undefined) {
    throw new DnsSwitchError('dns.switch.via is rfc2136 but dns.switch.rfc2136 is not set', 'set dns.switch.rfc2136 with server, zone and keyFile (and ttl), then plan again')
  }
  return options
}

/** The name relative to nothing: lowercased, with the trailing dot nsupdate needs to take it as absolute. */
export function absoluteName(name: string): string {
  return `${name.trim().replace(/\.$/, '').toLowerCase()}.`
}

/** Whether `name` is `zone` or below it. */
export function isInZone(name: string, zone: string): boolean {
  const n = absoluteName(name)
  const z = absoluteName(zone)
  return z === '.' || n === z || n.endsWith(`.${z}`)
}

/** Labels of letters, digits, '-' and '_' (1-63 each) joined by dots, at most 253 characters: nothing nsupdate could read as another word or command. */
const DNS_NAME = /^(?=.{1,254}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62})(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62}))*\.?$/

/** Why the values cannot go into an nsupdate script (each is one word of a line), or null. */
export function updateProblem(update: Rfc2136Update): string | null {
  if (!DNS_NAME.test(update.name)) return `dns.name ${JSON.stringify(update.name)} is not a DNS name (labels of letters, digits, '-' and '_' separated by dots)`
  if (!DNS_NAME.test(update.zone)) return `dns.switch.rfc2136.zone ${JSON.stringify(update.zone)} is not a DNS name (labels of letters, digits, '-' and '_' separated by dots)`
  if (!Number.isInteger(update.ttl) || update.ttl < 0 || update.ttl > 2_147_483_647) return `dns.switch.rfc2136.ttl ${update.ttl} is not a whole number of seconds from 0 to 2147483647`
  if (isIP(update.server.host) === 0 && !DNS_NAME.test(update.server.host)) return `dns.switch.rfc2136.server host ${JSON.stringify(update.server.host)} is neither an IP address nor a host name`
  const bad = update.addresses.find((address) => isIP(address) === 0)
  if (bad !== undefined) return `${bad} is not an IP address`
  return null
}

/** The nsupdate input: replace every A and AAAA record of the name by one per target address. Throws on values that are not one word each (updateProblem). */
export function nsupdateScript(update: Rfc2136Update): string {
  const problem = updateProblem(update)
  if (problem !== null) throw new DnsSwitchError(problem, 'fix it in the spec, then plan again')
  const name = absoluteName(update.name)
  return [
    `server ${update.server.host} ${update.server.port}`,
    `zone ${absoluteName(update.zone)}`,
    `update delete ${name} A`,
    `update delete ${name} AAAA`,
    ...update.addresses.map((address) => `update add ${name} ${update.ttl} ${isIP(address) === 6 ? 'AAAA' : 'A'} ${address}`),
    'send',
    '',
  ].join('\n')
}

/** nsupdate's argv: the key file, and its own deadline for the whole update (whole seconds, at least 1). */
export function nsupdateArgv(keyFile: string, timeoutMs: number): string[] {
  return ['nsupdate', '-k', keyFile, '-t', String(Math.max(1, Math.floor(timeoutMs / 1000)))]
}

/** The key's name and secrets from a key file in either format nsupdate -k reads (`key "n" {...}` or a K*.private). */
export function parseTsigKey(content: string): TsigKey {
  const name = /\bkey\s+"?([^"\s{]+)"?\s*\{/i.exec(content)?.[1] ?? null
  const secrets = [...content.matchAll(/\bsecret\s+"([^"]*)"/gi), ...content.matchAll(/^Key:\s*(\S+)/gim)].map((m) => m[1]!).filter((s) => s !== '')
  return {name, secrets}
}

/** The text with every secret replaced (the secrets are base64: also a secret split across a line break is not looked for, nsupdate prints tokens whole). */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('[secret]')
  return out
}

export interface FailureContext {
  readonly server: string
  readonly zone: string
  readonly name: string
  readonly keyName: string | null
  readonly keyFile: string
}

/** What nsupdate's output says went wrong, and what to fix; null when it says nothing this knows. */
export function explainNsupdateFailure(output: string, c: FailureContext): {problem: string; remedy: string} | null {
  const key = c.keyName === null ? `the key in ${c.keyFile}` : `key ${c.keyName}`
  const zone = absoluteName(c.zone)
  if (/tsig verify failure|BADSIG/i.test(output)) {
    return {
      problem: `${c.server} refused the update for ${c.name}: the TSIG signature did not verify (tsig verify failure), so the secret of ${key} in ${c.keyFile} is not the one the server has`,
      remedy: `put the server's secret for ${key} in ${c.keyFile} (or the file's secret in the server's config), then run apply again`,
    }
  }
  if (/BADKEY/i.test(output)) {
    return {
      problem: `${c.server} does not know ${key} (NOTAUTH/BADKEY)`,
      remedy: `add ${key} to the server's configuration and allow it to update ${zone} (allow-update or update-policy), or use the key file the server has, then run apply again`,
    }
  }
  if (/BADTIME/i.test(output)) {
    return {problem: `${c.server} refused the update's TSIG signature as out of time (BADTIME): this machine's clock and the server's differ by more than the key's fudge (300 s)`, remedy: 'synchronise the clocks (NTP), then run apply again'}
  }
  if (/\bNOTAUTH\b/.test(output)) {
    return {
      problem: `${c.server} is not authoritative for zone ${zone} (NOTAUTH)`,
      remedy: `set dns.switch.rfc2136.server to the primary of ${zone}, or dns.switch.rfc2136.zone to the zone it serves that holds ${c.name}, then plan again`,
    }
  }
  if (/\bNOTZONE\b/.test(output)) {
    return {problem: `${c.name} is not in zone ${zone} (NOTZONE)`, remedy: 'set dns.switch.rfc2136.zone to the zone the name is in, then plan again'}
  }
  if (/\bREFUSED\b/.test(output)) {
    return {
      problem: `${c.server} refused the update of ${c.name} in ${zone} (REFUSED): its policy does not let ${key} change that name`,
      remedy: `allow ${key} to update ${zone} in the server's configuration (allow-update { key "${c.keyName ?? 'NAME'}"; }; or an update-policy grant for ${c.name} A and AAAA), then run apply again`,
    }
  }
  if (/\bSERVFAIL\b/.test(output)) {
    return {problem: `${c.server} failed to apply the update of ${c.name} (SERVFAIL)`, remedy: "look at the server's log (a read-only zone file or journal, a zone that did not load), fix it, then run apply again"}
  }
  if (/communication with .* failed|timed out|connection refused|network unreachable|host unreachable|could not talk to/i.test(output)) {
    return {
      problem: `nsupdate could not reach the DNS server ${c.server}`,
      remedy: 'check that dns.switch.rfc2136.server is the primary\'s address and port and that it runs and is reachable from this machine, then run apply again',
    }
  }
  if (/could not read key|bad key|failed to read key/i.test(output)) {
    return {problem: `nsupdate could not use the TSIG key file ${c.keyFile}`, remedy: `give ${c.keyFile} a key in nsupdate -k format (tsig-keygen -a hmac-sha256 NAME prints one), then run apply again`}
  }
  return null
}

/** Reads the key file (to fail before anything is sent, and to know what to scrub): a DnsSwitchError when it cannot. */
export async function readTsigKey(keyFile: string): Promise<TsigKey> {
  let content: string
  try {
    content = await readFile(keyFile, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') {
      throw new DnsSwitchError(
        `the TSIG key file ${keyFile} (dns.switch.rfc2136.keyFile) does not exist`,
        `check the path, or create the key (tsig-keygen -a hmac-sha256 NAME > ${keyFile}, mode 0600) and give the DNS server the same key, then run apply again`,
      )
    }
    if (code === 'EACCES' || code === 'EPERM') {
      throw new DnsSwitchError(`cannot read the TSIG key file ${keyFile} (dns.switch.rfc2136.keyFile): permission denied`, 'run apply as the user that owns the key file (it should be mode 0600), then run apply again')
    }
    if (code === 'EISDIR') throw new DnsSwitchError(`the TSIG key file ${keyFile} (dns.switch.rfc2136.keyFile) is a directory`, 'set keyFile to the key file itself, then plan again')
    throw new DnsSwitchError(`cannot read the TSIG key file ${keyFile}: ${code ?? (error as Error).message}`, 'fix the file or its path, then run apply again')
  }
  const key = parseTsigKey(content)
  if (key.secrets.length === 0) {
    throw new DnsSwitchError(
      `${keyFile} (dns.switch.rfc2136.keyFile) holds no TSIG key: no key "NAME" { algorithm ...; secret "..."; }; statement`,
      'put a key in nsupdate -k format in it (tsig-keygen -a hmac-sha256 NAME prints one), then run apply again',
    )
  }
  return key
}

export interface Rfc2136RunOptions {
  /** Deadline for each of the query and the update. */
  readonly timeoutMs: number
  /** The longest old-record TTL the step may wait out (timeouts.step): a longer one is refused before anything changes. */
  readonly maxWaitMs: number
}

/** The whole switch: observe at the server, refuse what cannot work, send the update, report what was there before. */
export async function switchRfc2136(dns: DnsOptions, addresses: readonly string[], options: Rfc2136RunOptions): Promise<Rfc2136Switch> {
  const settings = rfc2136Options(dns)
  const names = addresses.filter((address) => isIP(address) === 0)
  if (names.length > 0) {
    throw new DnsSwitchError(
      `an A/AAAA record holds an IP address, but the target client URLs use the host name${names.length === 1 ? '' : 's'} ${names.join(', ')}`,
      `use IP addresses in the target members' client URLs (etcdplan does not copy a name's current addresses into ${dns.name}: the copy would go stale when that name moves), or switch the name with via: exec or via: manual`,
    )
  }
  const problem = updateProblem({server: {host: '127.0.0.1', port: 53}, zone: settings.zone, name: dns.name, ttl: settings.ttl, addresses})
  if (problem !== null) throw new DnsSwitchError(problem, 'fix it in the spec, then plan again')
  if (!isInZone(dns.name, settings.zone)) {
    throw new DnsSwitchError(`${dns.name} (dns.name) is not in zone ${settings.zone} (dns.switch.rfc2136.zone)`, 'set dns.switch.rfc2136.zone to the zone the name is in, then plan again')
  }
  const key = await readTsigKey(settings.keyFile)
  const server = await resolvedServer(settings.server)
  const shown = formatServer(server)
  const previous = await observe(server, dns.name, options.timeoutMs)
  if (sameAddresses(previous.addresses, addresses)) {
    return {updated: false, previous, detail: `${dns.name} already points at ${addresses.join(', ')} at ${shown}; no update sent`}
  }
  if (previous.ttl * 1000 > options.maxWaitMs) {
    throw new DnsSwitchError(
      `${dns.name} has records at ${shown} (${previous.addresses.join(', ')}) with a TTL of ${previous.ttl} s: clients may hold them that long after the switch, longer than timeouts.step (${formatMs(options.maxWaitMs)}), the longest this step waits; nothing was changed`,
      `lower the TTL of ${dns.name}'s records at the server first and wait out the old TTL, or raise timeouts.step above ${previous.ttl} s, then run apply again`,
    )
  }
  const argv = nsupdateArgv(settings.keyFile, options.timeoutMs)
  const update: Rfc2136Update = {server, zone: settings.zone, name: dns.name, ttl: settings.ttl, addresses}
  // nsupdate's own -t ends it first; ours (a second later) is for a process that hangs anyway.
  const end = await runProgram(argv, {input: nsupdateScript(update), timeoutMs: options.timeoutMs + 1000})
  const output = redact(end.output, key.secrets)
  const context: FailureContext = {server: shown, zone: settings.zone, name: dns.name, keyName: key.name, keyFile: settings.keyFile}
  if (end.kind === 'error') {
    const missing = (end.error as NodeJS.ErrnoException).code === 'ENOENT'
    throw new DnsSwitchError(
      missing ? 'nsupdate is not installed on this machine (needed for dns.switch.via rfc2136)' : `could not run nsupdate: ${end.error.message}`,
      missing ? 'install it (Debian/Ubuntu: apt-get install dnsutils; RHEL: dnf install bind-utils), then run apply again' : 'fix that, then run apply again',
    )
  }
  if (end.kind === 'unkillable' || end.timedOut) {
    throw new DnsSwitchError(
      `nsupdate did not finish the update of ${dns.name} at ${shown} within ${formatMs(options.timeoutMs)} and was ended`,
      `find out whether the server took the update (dig @${server.host} -p ${server.port} ${dns.name}), check that the server is reachable, then run apply again`,
      output,
    )
  }
  if (end.code !== 0 || output.includes('update failed')) {
    const explained = explainNsupdateFailure(output, context)
    throw new DnsSwitchError(
      explained?.problem ?? `nsupdate failed to update ${dns.name} at ${shown} (${end.code === null ? `killed by ${end.signal ?? 'a signal'}` : `exit code ${end.code}`})`,
      `${explained?.remedy ?? 'fix what its output says, then run apply again'} (the command: ${formatCommand(argv)} with the update on stdin; nothing was changed unless the server accepted it)`,
      output,
    )
  }
  const before = previous.addresses.length === 0 ? 'no A/AAAA records' : `${previous.addresses.join(', ')} (TTL ${previous.ttl} s)`
  return {updated: true, previous, detail: `updated ${dns.name} at ${shown} (zone ${absoluteName(settings.zone)}, key ${key.name ?? settings.keyFile}): ${before} → ${addresses.join(', ')} (TTL ${settings.ttl} s)`}
}

/** The name's records at the rfc2136 server now, for isDnsSwitched and the rerun's wait. */
export async function observeAtServer(dns: DnsOptions, timeoutMs: number): Promise<RecordSet> {
  return observe(await resolvedServer(rfc2136Options(dns).server), dns.name, timeoutMs)
}

async function resolvedServer(text: string): Promise<ServerAddress> {
  try {
    return await serverByAddress(parseServer(text))
  } catch (error) {
    if (error instanceof DnsQueryError) throw new DnsSwitchError(`dns.switch.rfc2136.server: ${error.message}`, 'set it to the primary\'s address (host, host:port or [IPv6]:port), then plan again')
    throw error
  }
}

async function observe(server: ServerAddress, name: string, timeoutMs: number): Promise<RecordSet> {
  try {
    return await queryRecords(server, name, timeoutMs)
  } catch (error) {
    if (error instanceof DnsQueryError) {
      throw new DnsSwitchError(
        `cannot ask the DNS server ${formatServer(server)} (dns.switch.rfc2136.server) where ${name} points now: ${error.message}; nothing was changed`,
        'check that the server runs, listens on that address and port and serves the zone, then run apply again',
      )
    }
    throw error
  }
}
