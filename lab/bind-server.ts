// A real BIND 9 authoritative server for one zone, for the tests of `dns.switch.via: rfc2136` and the
// lab of hosts: it listens on one address and port only, answers for its zone only (no recursion),
// accepts dynamic updates signed with a TSIG key it generates (`tsig-keygen`, nsupdate -k format),
// and runs in the foreground (`named -g`) as a child that stop() ends by its pid. Nothing outside
// `dir` is written: config, zone, journal, pid file and key all live there; no rndc (`controls { }`).
//
// `spawn` starts the argv somewhere else (the lab of hosts passes one that runs it inside a
// network-namespace host); `dir` must then be visible there at the same path.
//
// named listens only on addresses configured on an interface: on this machine 127.0.0.1 works,
// another 127.0.0.x would first need `ip addr add 127.0.0.x/8 dev lo`; in a lab host, its own address.
// tsig-keygen runs here (it only prints the key). The caller must call stop() in an after/finally.
import {execFile, spawn as spawnChild, type ChildProcess, type SpawnOptions} from 'node:child_process'
import {createServer, isIP, type AddressInfo} from 'node:net'
import {createSocket} from 'node:dgram'
import {Resolver} from 'node:dns/promises'
import {mkdir, writeFile} from 'node:fs/promises'
import {join, resolve as resolvePath} from 'node:path'
import {promisify} from 'node:util'
import {setTimeout as sleep} from 'node:timers/promises'

/** The key the server accepts updates from (and the name in `dir/tsig.key`). */
export const BIND_KEY_NAME = 'etcdplan-test.'

export interface BindRecord {
  /** Fully qualified, with or without the trailing dot; must be in the zone. */
  readonly name: string
  /** IPv4 addresses become A records, IPv6 ones AAAA records. */
  readonly addresses: readonly string[]
  /** Seconds. */
  readonly ttl: number
}

export type SpawnLike = (command: string, args: readonly string[], options: SpawnOptions) => ChildProcess

export interface BindOptions {
  /** Where everything is written (created when missing); absolute or relative to the cwd. */
  readonly dir: string
  /** The one address named listens on (IPv4 or IPv6; loopback or the lab's 198.18.0.0/24). */
  readonly address: string
  readonly port: number
  /** e.g. example.internal (no trailing dot needed). */
  readonly zone: string
  readonly records: readonly BindRecord[]
  /** Starts named elsewhere; default child_process.spawn on this machine. */
  readonly spawn?: SpawnLike
  /** How long to wait for the first answer. Default 15 s. */
  readonly startTimeoutMs?: number
}

export interface BindServer {
  /** `host:port` (`[v6]:port` for IPv6), as dns.switch.rfc2136.server wants it. */
  readonly server: string
  readonly address: string
  readonly port: number
  readonly zone: string
  /** The TSIG key file, nsupdate -k format. */
  readonly keyFile: string
  /** The zone file; named writes its journal beside it (`<zoneFile>.jnl`). */
  readonly zoneFile: string
  readonly pid: number
  /** named's stderr so far (its log, -g). */
  log(): string
  /** The zone's SOA serial as the server answers it now. */
  serial(): Promise<number>
  /** Ends named (SIGTERM by pid, SIGKILL after a grace); safe to call twice. */
  stop(): Promise<void>
}

const POLL_MS = 100
const STOP_GRACE_MS = 5000
const LOG_BYTES = 64 * 1024

export async function startBind(options: BindOptions): Promise<BindServer> {
  const dir = resolvePath(options.dir)
  const zone = options.zone.replace(/\.$/, '').toLowerCase()
  const family = isIP(options.address)
  if (family === 0) throw new Error(`startBind: address ${options.address} is not an IP address`)
  for (const record of options.records) {
    const name = fqdn(record.name)
    if (name !== `${zone}.` && !name.endsWith(`.${zone}.`)) throw new Error(`startBind: record ${record.name} is not in zone ${zone}`)
  }
  const keyFile = join(dir, 'tsig.key')
  const zoneFile = join(dir, `${zone}.db`)
  const confFile = join(dir, 'named.conf')
  await mkdir(dir, {recursive: true})
  const {stdout: key} = await promisify(execFile)('tsig-keygen', ['-a', 'hmac-sha256', BIND_KEY_NAME])
  await writeFile(keyFile, key, {mode: 0o600})
  await writeFile(zoneFile, zoneText(zone, options.address, options.records))
  await writeFile(confFile, namedConf({dir, address: options.address, port: options.port, zone, keyFile, zoneFile}))

  const spawn = options.spawn ?? (spawnChild as SpawnLike)
  const child = spawn('named', ['-g', '-c', confFile, family === 4 ? '-4' : '-6'], {stdio: ['ignore', 'ignore', 'pipe']})
  let log = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString('utf8')).slice(-LOG_BYTES)
  })
  let exited: string | null = null
  const gone = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = signal === null ? `exited with code ${code}` : `was killed by ${signal}`
      resolve()
    })
    child.once('error', (error) => {
      exited = `could not start: ${error.message}`
      resolve()
    })
  })
  const server = family === 6 ? `[${options.address}]:${options.port}` : `${options.address}:${options.port}`
  const serial = async (): Promise<number> => {
    const resolver = new Resolver({timeout: 1000, tries: 1})
    resolver.setServers([server])
    return (await resolver.resolveSoa(zone)).serial
  }
  const stop = async (): Promise<void> => {
    if (exited !== null || child.pid === undefined) return
    signal(child.pid, 'SIGTERM')
    const timer = setTimeout(() => child.pid !== undefined && signal(child.pid, 'SIGKILL'), STOP_GRACE_MS)
    await gone
    clearTimeout(timer)
  }

  const deadline = Date.now() + (options.startTimeoutMs ?? 15_000)
  for (;;) {
    if (exited !== null) throw new Error(`named ${exited}; its log:\n${log.trimEnd()}`)
    try {
      await serial()
      break
    } catch (error) {
      if (Date.now() > deadline) {
        await stop()
        throw new Error(`named did not answer for ${zone} at ${server} within ${options.startTimeoutMs ?? 15_000} ms (${(error as Error).message}); its log:\n${log.trimEnd()}`)
      }
      await sleep(POLL_MS)
    }
  }
  return {server, address: options.address, port: options.port, zone, keyFile, zoneFile, pid: child.pid!, log: () => log, serial, stop}
}

/** A port free for both TCP and UDP on `address` (DNS uses both), picked by the kernel. */
export async function freeDnsPort(address: string): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const probe = createServer()
      probe.once('error', reject)
      probe.listen(0, address, () => {
        const {port} = probe.address() as AddressInfo
        probe.close(() => resolve(port))
      })
    })
    const udpFree = await new Promise<boolean>((resolve) => {
      const socket = createSocket(isIP(address) === 6 ? 'udp6' : 'udp4')
      socket.once('error', () => resolve(false))
      socket.bind(port, address, () => socket.close(() => resolve(true)))
    })
    if (udpFree) return port
  }
  throw new Error(`no port free for both TCP and UDP on ${address}`)
}

function fqdn(name: string): string {
  return `${name.replace(/\.$/, '').toLowerCase()}.`
}

function namedConf(c: {dir: string; address: string; port: number; zone: string; keyFile: string; zoneFile: string}): string {
  const v6 = isIP(c.address) === 6
  return `// Written by lab/bind-server.ts for a test; removed with its directory.
include "${c.keyFile}";
options {
  directory "${c.dir}";
  pid-file "${join(c.dir, 'named.pid')}";
  session-keyfile "${join(c.dir, 'session.key')}";
  managed-keys-directory "${c.dir}";
  listen-on ${v6 ? '{ none; }' : `port ${c.port} { ${c.address}; }`};
  listen-on-v6 ${v6 ? `port ${c.port} { ${c.address}; }` : '{ none; }'};
  recursion no;
  allow-query { any; };
  dnssec-validation no;
  notify no;
};
controls { };
zone "${c.zone}" {
  type primary;
  file "${c.zoneFile}";
  allow-update { key "${BIND_KEY_NAME}"; };
};
`
}

function zoneText(zone: string, address: string, records: readonly BindRecord[]): string {
  const lines = [
    '$TTL 60',
    `@ IN SOA ns.${zone}. hostmaster.${zone}. ( 1 3600 600 86400 60 )`,
    `@ IN NS ns.${zone}.`,
    `ns.${zone}. IN ${isIP(address) === 6 ? 'AAAA' : 'A'} ${address}`,
  ]
  for (const record of records) {
    for (const a of record.addresses) lines.push(`${fqdn(record.name)} ${record.ttl} IN ${isIP(a) === 6 ? 'AAAA' : 'A'} ${a}`)
  }
  return `${lines.join('\n')}\n`
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name)
  } catch {
    // Already gone.
  }
}
