// Asking one DNS server directly (dns.resolver, or the rfc2136 primary) for a name's A and AAAA
// records and their TTL — not this machine's resolver: what the server that was updated says now.
// A fresh c-ares channel per question, so that no answer is ever served from a cache.
import {lookup, Resolver} from 'node:dns/promises'
import {isIP} from 'node:net'
import {normaliseAddress, sortAddresses} from './dns-addresses.js'

export interface ServerAddress {
  readonly host: string
  readonly port: number
}

export interface RecordSet {
  /** The A and AAAA addresses, normalised and sorted; empty when the name has none (or does not exist). */
  readonly addresses: readonly string[]
  /** The largest TTL of those records in seconds; 0 when there are none. */
  readonly ttl: number
}

/** Why a DNS server could not be asked. */
export class DnsQueryError extends Error {
  override readonly name = 'DnsQueryError'
}

/** `host`, `host:port`, `[v6]:port` or a bare IPv6 address; port 53 when left out. */
export function parseServer(text: string): ServerAddress {
  const trimmed = text.trim()
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(trimmed)
  if (bracketed !== null) return {host: bracketed[1]!, port: port(bracketed[2], text)}
  if (isIP(trimmed) === 6) return {host: trimmed, port: 53}
  const hostPort = /^([^:\s]+)(?::(\d+))?$/.exec(trimmed)
  if (hostPort === null) throw new DnsQueryError(`"${text}" is not a DNS server address (host, host:port or [IPv6]:port)`)
  return {host: hostPort[1]!, port: port(hostPort[2], text)}
}

/** As setServers and messages write it: `host:port`, `[v6]:port`. */
export function formatServer(server: ServerAddress): string {
  return isIP(server.host) === 6 ? `[${server.host}]:${server.port}` : `${server.host}:${server.port}`
}

/** The server with its host name (if it has one) looked up once through getaddrinfo: c-ares and nsupdate are then sure to ask the same address. */
export async function serverByAddress(server: ServerAddress): Promise<ServerAddress> {
  if (isIP(server.host) !== 0) return server
  try {
    const {address} = await lookup(server.host)
    return {host: address, port: server.port}
  } catch (error) {
    throw new DnsQueryError(`the DNS server's host name ${server.host} does not resolve: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
  }
}

/** The name's A and AAAA records at the server. Throws DnsQueryError when the server does not give an answer. */
export async function queryRecords(server: ServerAddress, name: string, timeoutMs: number): Promise<RecordSet> {
  const resolver = new Resolver({timeout: Math.max(100, Math.min(2000, Math.floor(timeoutMs / 2))), tries: 2})
  resolver.setServers([formatServer(server)])
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DnsQueryError(`${formatServer(server)} gave no answer for ${name} within ${timeoutMs} ms`)), timeoutMs)
  })
  const ask = async (family: 4 | 6): Promise<{address: string; ttl: number}[]> => {
    try {
      return family === 4 ? await resolver.resolve4(name, {ttl: true}) : await resolver.resolve6(name, {ttl: true})
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'ENODATA' || code === 'ENOTFOUND') return []
      throw new DnsQueryError(`${formatServer(server)} did not answer for ${name} (${family === 4 ? 'A' : 'AAAA'}): ${explainCode(code, error as Error)}`)
    }
  }
  try {
    const [a, aaaa] = await Promise.race([Promise.all([ask(4), ask(6)]), deadline])
    const records = [...a, ...aaaa]
    return {addresses: sortAddresses(records.map((r) => normaliseAddress(r.address))), ttl: Math.max(0, ...records.map((r) => r.ttl))}
  } finally {
    clearTimeout(timer)
    resolver.cancel()
  }
}

function explainCode(code: string | undefined, error: Error): string {
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused (is the server running and listening on that address and port?)'
    case 'ETIMEOUT':
      return 'no answer (is the server running and reachable?)'
    case 'EREFUSED':
      return 'the server refused the query (it does not serve that name: check the zone and the server)'
    case 'ESERVFAIL':
      return 'server failure (see the server\'s log)'
    default:
      return code ?? error.message
  }
}

function port(text: string | undefined, whole: string): number {
  if (text === undefined) return 53
  const value = Number(text)
  if (!Number.isInteger(value) || value < 1 || value > 65535) throw new DnsQueryError(`"${whole}" has port ${text}, not 1-65535`)
  return value
}
