// A lab of separate hosts on this machine, for the tests of the ssh, exec and manual node providers
// and the rfc2136 DNS switch, `npm run bench` and `npm run demo:hosts`. Each host is a network
// namespace on a bridge in 198.18.0.0/24 with its own /etc/etcd, /var/lib/etcd, /var/lib/etcdplan and
// /root (bind mounts from the test's dir, in a mount namespace of its own) and its own sshd with throwaway
// keys. etcdplan stays in the root namespace and reaches the hosts only by ssh (lab.ssh.config) and
// etcd only by URL, as it would reach real machines.
//
// Slots (lab-slot.ts) keep labs of parallel test files apart; close() ends every process in the
// lab's namespaces and deletes them, and a process that dies without close() is cleaned up at exit
// (lab-exit-cleanup.ts) or, if SIGKILLed, by the next lab on this machine.
import {mkdirSync} from 'node:fs'
import {mkdir, writeFile} from 'node:fs/promises'
import {join, resolve} from 'node:path'
import {onProcessExit} from './lab-exit-cleanup.js'
import {HOST_DIRS, hostDirMode, NetnsHost, type HostLayout, type LabHost} from './lab-host.js'
import {createBridge, createHostNetwork, MAX_HOSTS, removeNetworkSync, slotNetwork, type CutMode} from './lab-network.js'
import {run, signalAll} from './lab-process.js'
import {labUnavailable} from './lab-requirements.js'
import {claimSlot} from './lab-slot.js'
import {generateKey, knownHosts, sshClientConfig, sshdConfig} from './lab-ssh.js'

export {labUnavailable} from './lab-requirements.js'
export type {LabHost, LabDaemon, ExecResult, StopSshdOptions} from './lab-host.js'
export type {CutMode} from './lab-network.js'
export {HOST_DIRS} from './lab-host.js'

export interface LabOptions {
  /** The test's temp dir; everything the lab writes is below dir/lab. */
  readonly dir: string
  /** Short names, e.g. ['a', 'b'] or ['a', 'b', 'dns']: lowercase letters, digits and '-', at most 13 hosts. */
  readonly hosts: readonly string[]
}

export interface Lab {
  readonly hosts: readonly LabHost[]
  /** The host of that name; throws for an unknown one. */
  host(name: string): LabHost
  /** The slot (0..15) this lab holds: its addresses are 198.18.0.16k+1 .. 16k+14. */
  readonly slot: number
  /** The bridge in the root namespace (epbr<slot>). */
  readonly bridge: string
  /** The root namespace's address on the bridge (etcdplan's side). */
  readonly outsideAddress: string
  /** dir/lab: keys, configs and the hosts' own directories. */
  readonly dir: string
  readonly ssh: {readonly config: string; readonly identityFile: string; readonly knownHosts: string; readonly user: 'root'}
  /** Cuts every host of side from every host of others (default: all the other hosts), both ways. */
  partition(side: readonly string[], others?: readonly string[], options?: {mode?: CutMode}): Promise<void>
  /** Removes every cut partition() and cutFrom() made. */
  heal(): Promise<void>
  /** Idempotent: kills every process in the lab's namespaces (by pid), deletes namespaces, veths, bridge and slot. */
  close(): Promise<void>
}

const HOST_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/

export async function createLab(options: LabOptions): Promise<Lab> {
  const problem = labUnavailable()
  if (problem !== null) throw new Error(problem)
  checkHostNames(options.hosts)
  const dir = join(resolve(options.dir), 'lab')
  const sshDir = join(dir, 'ssh')
  const ssh = {config: join(sshDir, 'ssh_config'), identityFile: join(sshDir, 'id_ed25519'), knownHosts: join(sshDir, 'known_hosts'), user: 'root'} as const
  await mkdir(sshDir, {recursive: true, mode: 0o700})
  ensureMountPoints()

  const slot = await claimSlot({dir})
  const net = slotNetwork(slot.slot)
  const byName = new Map<string, NetnsHost>()
  const lookup = (name: string): NetnsHost => {
    const host = byName.get(name)
    if (host === undefined) throw new Error(`no host ${name} in this lab (hosts: ${[...byName.keys()].join(', ')})`)
    return host
  }
  const layouts: HostLayout[] = options.hosts.map((name, index) => {
    const hostDir = join(dir, 'hosts', name)
    return {name, alias: `lab-${name}`, ...net.host(index, name), dir: hostDir, root: join(hostDir, 'root'), sshdConfig: join(hostDir, 'sshd_config')}
  })
  const hosts = layouts.map((layout) => new NetnsHost(layout, lookup))
  for (const host of hosts) byName.set(host.name, host)
  const namespaces = layouts.map((layout) => layout.namespace)
  const links = [...layouts.map((layout) => layout.veth), net.bridge]

  const removeSync = (): string[] => {
    signalAll(hosts.flatMap((host) => host.startedPids()), 'SIGKILL')
    const remaining = removeNetworkSync(namespaces, links)
    slot.release()
    return remaining
  }
  const unregister = onProcessExit(() => void removeSync())
  try {
    await writeHostFiles(layouts, ssh)
    await createBridge(net)
    // One after the other: the first `ip netns add` on a machine sets up /run/netns, and two at once can race.
    for (const layout of layouts) await createHostNetwork(net, layout)
    await Promise.all(hosts.map((host) => host.start()))
    await Promise.all(hosts.map((host) => checkSsh(ssh.config, host)))
  } catch (error) {
    removeSync()
    unregister()
    throw error
  }

  let closing: Promise<void> | null = null
  return {
    hosts,
    host: lookup,
    slot: slot.slot,
    bridge: net.bridge,
    outsideAddress: net.outsideAddress,
    dir,
    ssh,
    async partition(side, others, partitionOptions = {}) {
      const rest = others ?? hosts.map((host) => host.name).filter((name) => !side.includes(name))
      const mode = partitionOptions.mode === undefined ? {} : {mode: partitionOptions.mode}
      for (const a of side) for (const b of rest) await lookup(a).cutFrom(b, mode)
    },
    async heal() {
      // Every pair, so that cuts made with host.cutFrom() directly go too.
      for (const a of hosts) for (const b of hosts) if (a.name < b.name) await a.reconnect(b)
    },
    close() {
      closing ??= (async () => {
        await Promise.all(hosts.map((host) => host.stopAll()))
        const remaining = removeSync()
        unregister()
        if (remaining.length > 0) throw new Error(`lab slot ${slot.slot}: could not remove ${remaining.join(', ')}`)
      })()
      return closing
    },
  }
}

function checkHostNames(names: readonly string[]): void {
  if (names.length < 1 || names.length > MAX_HOSTS) throw new RangeError(`a lab has 1..${MAX_HOSTS} hosts, not ${names.length}`)
  for (const name of names) {
    if (!HOST_NAME.test(name) || name.length > 12) throw new RangeError(`lab host name ${JSON.stringify(name)}: lowercase letters, digits and inner '-', at most 12 characters`)
  }
  if (new Set(names).size !== names.length) throw new RangeError(`lab host names repeat: ${names.join(', ')}`)
}

/**
 * The hosts' directories exist below the real root only as empty mount points: a bind mount needs an
 * existing directory to cover. They are created when missing, and nothing is ever written into them
 * (every host writes to its own copy below the test's dir); /run/sshd is sshd's privilege
 * separation directory, which sshd refuses to start without.
 */
function ensureMountPoints(): void {
  for (const path of HOST_DIRS) mkdirSync(path, {recursive: true, mode: hostDirMode(path)})
  mkdirSync('/run/sshd', {recursive: true, mode: 0o755})
}

/** Keys, each host's own directories and sshd_config, authorized_keys, known_hosts and ssh_config. */
async function writeHostFiles(layouts: readonly HostLayout[], ssh: {config: string; identityFile: string; knownHosts: string}): Promise<void> {
  const authorizedKeys = join(resolve(ssh.config, '..'), 'authorized_keys')
  const userKey = generateKey(ssh.identityFile, 'etcdplan-lab-user')
  const hostKeys = await Promise.all(
    layouts.map(async (layout) => {
      for (const path of HOST_DIRS) await mkdir(join(layout.root, path), {recursive: true, mode: hostDirMode(path)})
      const hostKey = join(layout.dir, 'ssh_host_ed25519_key')
      const publicKey = await generateKey(hostKey, `etcdplan-lab-${layout.alias}`)
      await writeFile(layout.sshdConfig, sshdConfig({address: layout.address, hostKey, authorizedKeys, pidFile: join(layout.dir, 'sshd.pid')}))
      return {alias: layout.alias, address: layout.address, hostKey: publicKey}
    }),
  )
  await writeFile(authorizedKeys, `${await userKey}\n`, {mode: 0o600})
  await writeFile(ssh.knownHosts, knownHosts(hostKeys))
  await writeFile(ssh.config, sshClientConfig(hostKeys, ssh))
}

/** One real ssh login per host with the lab's config, so that createLab resolves only when the ssh provider can work. */
async function checkSsh(config: string, host: LabHost): Promise<void> {
  const result = await run(['ssh', '-F', config, host.alias, 'true'], {timeoutMs: 15_000})
  if (result.status !== 0) throw new Error(`lab host ${host.name}: ssh -F ${config} ${host.alias} true failed (${result.status}): ${result.stderr.trim()}`)
}
