// probeHost's answer from the helper script's `probe` records (one round trip: the etcd binary and
// its `--version`, the addresses it can bind (its local routes: `ip route show table local`, where
// 127.0.0.0/8 is one prefix), its TCP listeners (`ss -Hltn`), and whether
// each file opens for reading), judged here: a listen URL is 'in-use' when a listener holds its port
// on its address or on a wildcard (or it is a wildcard and anything holds the port), 'error' when
// its address is not one of the host's (0.0.0.0 and :: are always the host's), else 'free'.
import type {EtcdBinaryProbe, FileProbe, HostProbe, HostProbeRequest, ListenProbe} from '../node-provider.js'
import {parseEtcdVersion} from '../parse-etcd-version.js'
import {nulRecords} from './nul-records.js'

const WILDCARDS = new Set(['0.0.0.0', '::', '*', ''])

export function parseProbe(etcd: string, request: HostProbeRequest, stdout: Buffer): HostProbe {
  const records = nulRecords(stdout)
  const value = (tag: string): string | undefined => records.find((r) => r.tag === tag)?.value
  const addresses = records.filter((r) => r.tag === 'A').map((r) => r.value)
  const listeners = records.filter((r) => r.tag === 'L').map((r) => splitAddress(r.value)).filter((l) => l !== null)
  const fileStates = records.filter((r) => r.tag === 'P').map((r) => r.value)
  return {
    binary: binaryOf(etcd, value('B') ?? '', Number(value('R') ?? '127'), value('V') ?? ''),
    listen: request.listen.map((url) => listenOf(url, addresses, listeners)),
    files: request.files.map((path, i): FileProbe => ({path, error: fileError(fileStates[i])})),
  }
}

function binaryOf(etcd: string, found: string, status: number, output: string): EtcdBinaryProbe {
  if (found === '') return {path: etcd, version: null, error: 'not found on the host\'s PATH'}
  if (status !== 0) {
    const why = status === 126 ? 'not executable (permission denied)' : status === 127 ? 'no such file' : status === 124 ? '`--version` did not answer within 10 s' : `\`--version\` failed (exit code ${status})${output.trim() === '' ? '' : `: ${output.trim().split('\n').slice(-3).join(' ')}`}`
    return {path: found, version: null, error: why}
  }
  const version = parseEtcdVersion(output)
  if (version === null) return {path: found, version: null, error: `\`${found} --version\` did not print \`etcd Version: X.Y.Z\` first (it printed ${JSON.stringify(output.split('\n', 1)[0] ?? '')})`}
  return {path: found, version: version.text, error: null}
}

function listenOf(url: string, addresses: readonly string[], listeners: readonly {host: string; port: number}[]): ListenProbe {
  let host: string
  let port: number
  try {
    const parsed = new URL(url)
    host = normalise(parsed.hostname)
    port = Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80))
  } catch {
    return {url, address: url, state: 'error', error: 'not a URL'}
  }
  const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
  const taken = listeners.some((l) => l.port === port && (WILDCARDS.has(l.host) || WILDCARDS.has(host) || l.host === host))
  if (taken) return {url, address, state: 'in-use', error: 'address already in use'}
  if (!WILDCARDS.has(host) && !addresses.some((a) => covers(a, host))) return {url, address, state: 'error', error: `the host has no address ${host}`}
  return {url, address, state: 'free', error: null}
}

/** Whether a local route (`198.18.0.3`, `127.0.0.0/8`, `::1`) covers the address. */
function covers(route: string, host: string): boolean {
  const [base = '', bits] = route.split('/')
  if (bits === undefined) return normalise(base) === host
  const a = ipv4(normalise(base))
  const b = ipv4(host)
  if (a === null || b === null) return normalise(base) === host
  const prefix = Number(bits)
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0
  return ((a & mask) >>> 0) === ((b & mask) >>> 0)
}

function ipv4(text: string): number | null {
  const parts = text.split('.')
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return null
  return parts.reduce((n, p) => ((n << 8) | Number(p)) >>> 0, 0)
}

/** `127.0.0.1:2379`, `[::1]:2379`, `*:22`, `127.0.0.53%lo:53` → host and port. */
function splitAddress(text: string): {host: string; port: number} | null {
  const colon = text.lastIndexOf(':')
  if (colon === -1) return null
  const port = Number(text.slice(colon + 1))
  if (!Number.isInteger(port)) return null
  return {host: normalise(text.slice(0, colon)), port}
}

/** An address as both sides spell it: no brackets, no zone, IPv4-mapped IPv6 as IPv4. */
function normalise(host: string): string {
  return host.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '').replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1').toLowerCase()
}

function fileError(state: string | undefined): string | null {
  switch (state) {
    case 'ok': return null
    case 'missing': return 'no such file'
    case 'dir': return 'it is a directory'
    case 'special': return 'not a regular file'
    case 'denied': return 'permission denied'
    default: return 'the host did not answer for this file'
  }
}
