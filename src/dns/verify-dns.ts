// Observing where dns.name leads now: after the switch (dns.verify), and before it through
// isDnsSwitched ("observe before acting", so a re-run apply skips a switch that is already done).
// Where it looks: the DNS server dns.resolver names when set; else the rfc2136 primary with via
// rfc2136 (asked directly: what the server that was updated says, no cache in between); else a hosts
// file is read directly; any other name is resolved the way clients on this machine resolve it
// (getaddrinfo). Never throws: a name that cannot be resolved is a failed check with the reason in `detail`.
import {lookup} from 'node:dns/promises'
import {isIP} from 'node:net'
import {readFile} from 'node:fs/promises'
import type {DnsOptions} from '../spec/types.js'
import {expectedAddresses, normaliseAddress, sameAddresses, sortAddresses} from './dns-addresses.js'
import {formatServer, parseServer, queryRecords, serverByAddress, type ServerAddress} from './dns-query.js'
import {hostsFileAddresses} from './hosts-file.js'

export interface DnsCheck {
  readonly ok: boolean
  /** Where the name leads now (normalised, sorted); empty when it could not be resolved. */
  readonly addresses: readonly string[]
  /** The hosts of the target client URLs. */
  readonly expected: readonly string[]
  readonly detail: string
}

/** A resolver that does not answer in this time is a failed check rather than a hung apply. */
const LOOKUP_TIMEOUT_MS = 10_000

export async function checkDns(dns: DnsOptions, clientURLs: readonly string[]): Promise<DnsCheck> {
  let expected: readonly string[] = []
  try {
    expected = expectedAddresses(clientURLs)
    const server = verifyServer(dns)
    if (server !== null) return await checkServer(dns.name, server, expected)
    return dns.switch.via === 'hosts-file' ? await checkHostsFile(dns.name, dns.switch.file, expected) : await checkResolver(dns.name, expected)
  } catch (error) {
    return {ok: false, addresses: [], expected, detail: `could not check ${dns.name}: ${(error as Error).message}`}
  }
}

/** The DNS server dns.verify asks (`host:port`): dns.resolver, else the rfc2136 primary; null: the hosts file or getaddrinfo. */
export function verifyServer(dns: DnsOptions): string | null {
  if (dns.resolver !== undefined && dns.resolver !== '') return dns.resolver
  if (dns.switch.via === 'rfc2136' && dns.switch.rfc2136 !== undefined) return dns.switch.rfc2136.server
  return null
}

/** The name (and any host name among the expected hosts) asked at that one server. */
async function checkServer(name: string, serverText: string, expected: readonly string[]): Promise<DnsCheck> {
  let server: ServerAddress
  try {
    server = await serverByAddress(parseServer(serverText))
  } catch (error) {
    return {ok: false, addresses: [], expected, detail: `cannot ask the DNS server ${serverText}: ${(error as Error).message}`}
  }
  const shown = formatServer(server)
  const lookup = async (host: string): Promise<readonly string[]> => (await queryRecords(server, host, LOOKUP_TIMEOUT_MS)).addresses
  return checkByLookup(name, expected, lookup, {
    saying: `${shown} resolves ${name} to`,
    unresolved: (host, error) => `${host} could not be resolved at ${shown}: ${error.message}`,
    emptyTarget: (host) => `the target client host ${host} has no A/AAAA records at ${shown}`,
  })
}

async function checkHostsFile(name: string, file: string | undefined, expected: readonly string[]): Promise<DnsCheck> {
  if (file === undefined || file === '') return {ok: false, addresses: [], expected, detail: 'dns.switch.file is not set'}
  let content: string
  try {
    content = await readFile(file, 'utf8')
  } catch (error) {
    return {ok: false, addresses: [], expected, detail: `cannot read the hosts file ${file}: ${(error as Error).message}`}
  }
  const addresses = hostsFileAddresses(content, name)
  return compare(`${file} maps ${name} to`, name, addresses, expected, expected)
}

async function checkResolver(name: string, expected: readonly string[]): Promise<DnsCheck> {
  return checkByLookup(name, expected, resolve, {saying: `${name} resolves to`, unresolved: (host, error) => `${host} does not resolve: ${error.message}`, emptyTarget: (host) => `the target client host ${host} does not resolve`})
}

/**
 * Where `name` leads by one way of looking names up (a chosen server, or getaddrinfo), against the
 * expected hosts; a client URL with a host name leads to that name's addresses, looked up the same way.
 */
async function checkByLookup(
  name: string,
  expected: readonly string[],
  lookup: (host: string) => Promise<readonly string[]>,
  texts: {readonly saying: string; unresolved(host: string, error: Error): string; emptyTarget(host: string): string},
): Promise<DnsCheck> {
  let addresses: readonly string[]
  try {
    addresses = await lookup(name)
  } catch (error) {
    return {ok: false, addresses: [], expected, detail: texts.unresolved(name, error as Error)}
  }
  const wanted: string[] = []
  for (const host of expected) {
    if (isIP(host) !== 0) {
      wanted.push(host)
      continue
    }
    try {
      const found = await lookup(host)
      if (found.length === 0) return {ok: false, addresses, expected, detail: texts.emptyTarget(host)}
      wanted.push(...found)
    } catch (error) {
      return {ok: false, addresses, expected, detail: `the target client host ${texts.unresolved(host, error as Error)}`}
    }
  }
  return compare(texts.saying, name, addresses, sortAddresses(wanted), expected)
}

function compare(saying: string, name: string, addresses: readonly string[], wanted: readonly string[], expected: readonly string[]): DnsCheck {
  if (addresses.length === 0) return {ok: false, addresses, expected, detail: `${saying} nothing (no entry for ${name}); expected ${wanted.join(', ')}`}
  if (sameAddresses(addresses, wanted)) return {ok: true, addresses, expected, detail: `${saying} ${addresses.join(', ')} as expected`}
  const missing = wanted.filter((address) => !addresses.includes(address))
  const unexpected = addresses.filter((address) => !wanted.includes(address))
  const differences = [missing.length > 0 ? `missing ${missing.join(', ')}` : '', unexpected.length > 0 ? `not a target ${unexpected.join(', ')}` : ''].filter((part) => part !== '')
  return {ok: false, addresses, expected, detail: `${saying} ${addresses.join(', ')}; expected ${wanted.join(', ')} (${differences.join('; ')})`}
}

/** Every address getaddrinfo gives for the name, normalised and sorted. */
async function resolve(name: string): Promise<readonly string[]> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${LOOKUP_TIMEOUT_MS / 1000}s`)), LOOKUP_TIMEOUT_MS)
  })
  try {
    const answers = await Promise.race([lookup(name, {all: true}), timeout])
    return sortAddresses(answers.map((answer) => normaliseAddress(answer.address)))
  } finally {
    clearTimeout(timer)
  }
}
