// The runbook's layout on the lab's separate hosts (lab/netns-lab.ts): the three old members etcd1..3
// all on host A's one address with peer ports 23801..23803 and client ports 23791..23793, the three
// new ones etcd4..6 on host B with the same ports, reached over ssh (nodes.provider ssh with the lab's
// ssh config, key and known_hosts), and clients finding them by a name in a zone BIND serves from a
// third host, switched by RFC 2136. Tests, `npm run bench` and `npm run demo:hosts` share it.
import {spawn} from 'node:child_process'
import {startBind, type BindRecord, type BindServer} from './bind-server.js'
import type {Lab} from './netns-lab.js'
import type {LabMember, MigrationSpecOptions} from './migration-spec.js'

export const RUNBOOK_PEER_PORTS = [23801, 23802, 23803] as const
export const RUNBOOK_CLIENT_PORTS = [23791, 23792, 23793] as const

/** The zone and name the lab's BIND serves. */
export const LAB_ZONE = 'lab.internal'
export const LAB_DNS_NAME = `etcd.${LAB_ZONE}`

/** Three members named `<prefix><first>..` on one host, on the runbook's ports. */
export function runbookMembersOn(address: string, first: number): LabMember[] {
  return RUNBOOK_PEER_PORTS.map((peerPort, i) => ({name: `etcd${first + i}`, host: address, peerPort, clientPort: RUNBOOK_CLIENT_PORTS[i]!}))
}

/** nodes: provider ssh, with the lab's own ssh config, key and known_hosts (never the user's). */
export function labSshNodes(lab: Lab, extra: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  return {
    provider: 'ssh',
    ssh: {config: lab.ssh.config, user: lab.ssh.user, identityFile: lab.ssh.identityFile, knownHosts: lab.ssh.knownHosts, ...extra},
  }
}

export interface Rfc2136Server {
  /** host:port of the BIND that accepts updates. */
  readonly server: string
  readonly zone: string
  readonly keyFile: string
}

/** The spec's dns block: the lab's name, switched by RFC 2136 at that server and verified there. */
export function labDns(bind: Rfc2136Server, ttl: number): Record<string, unknown> {
  return {name: LAB_DNS_NAME, switch: {via: 'rfc2136', rfc2136: {server: bind.server, zone: bind.zone, keyFile: bind.keyFile, ttl}}, verify: true}
}

/** The runbook's migration across hosts a (source) and b (target), for writeMigrationSpec. */
export function runbookHostsSpec(lab: Lab, options: Omit<MigrationSpecOptions, 'source' | 'target' | 'nodes'> & {readonly sshExtra?: Readonly<Record<string, unknown>>; readonly sourceConfig?: Readonly<Record<string, unknown>>}): MigrationSpecOptions {
  const {sshExtra, sourceConfig, ...rest} = options
  return {
    ...rest,
    source: runbookMembersOn(lab.host('a').address, 1).map((m) => (sourceConfig === undefined ? m : {...m, config: sourceConfig})),
    target: runbookMembersOn(lab.host('b').address, 4),
    nodes: labSshNodes(lab, sshExtra),
  }
}

/**
 * A real BIND for LAB_ZONE inside one of the lab's hosts, on its address, port 53: etcdplan (outside)
 * updates and verifies the name over the bridge as it would a DNS server on the network. Its files are
 * in `dir` (under the test's temp dir, which the hosts see at the same path). Call stop() in a finally
 * (lab.close() also ends everything that runs in the host).
 */
export async function startLabBind(lab: Lab, hostName: string, dir: string, records: readonly BindRecord[]): Promise<BindServer> {
  const host = lab.host(hostName)
  return startBind({
    dir,
    address: host.address,
    port: 53,
    zone: LAB_ZONE,
    records,
    spawn: (command, args, options) => {
      const [entered, ...rest] = host.enter([command, ...args])
      return spawn(entered!, rest, options)
    },
  })
}
