// The network of one lab slot: a bridge in the root namespace and, per host, a network namespace
// joined to it by a veth pair. Slot k owns 198.18.0.16k/28 (198.18.0.0/24 is reserved for
// benchmarking, the only non-loopback range the lab may use): the root namespace's address on the
// bridge is .16k+1, hosts get .16k+2 .. .16k+14, so 16 labs can run at once and never share an
// address. Every name of slot k starts with `ep<k>` (bridge epbr<k>, namespaces ep<k>-<host>, root
// side veths ep<k>v<n>; Linux allows 15 characters), so a slot's leftovers can be found by name.
//
// The hosts get no default route and the root namespace does no NAT, so nothing on the bridge can
// reach beyond it. IPv6 address generation is off on every lab link: no link-local address is ever
// assigned (only 198.18.0.x and loopback exist in the lab).
import {run, runOk, runSync, signalAll, isAlive} from './lab-process.js'

export const SLOT_COUNT = 16
export const MAX_HOSTS = 13
/** The interface's name inside each host's namespace. */
export const HOST_INTERFACE = 'eth0'

export interface SlotNetwork {
  readonly slot: number
  readonly bridge: string
  readonly outsideAddress: string
  readonly prefixLength: 28
  /** The nth host (0-based) of the slot: its address, namespace and root-side veth. */
  host(index: number, name: string): {readonly address: string; readonly namespace: string; readonly veth: string}
}

export function slotNetwork(slot: number): SlotNetwork {
  if (!Number.isInteger(slot) || slot < 0 || slot >= SLOT_COUNT) throw new RangeError(`lab slot must be 0..${SLOT_COUNT - 1}, not ${slot}`)
  const base = 16 * slot
  return {
    slot,
    bridge: `epbr${slot}`,
    outsideAddress: `198.18.0.${base + 1}`,
    prefixLength: 28,
    host(index, name) {
      if (!Number.isInteger(index) || index < 0 || index >= MAX_HOSTS) throw new RangeError(`a lab has at most ${MAX_HOSTS} hosts`)
      return {address: `198.18.0.${base + 2 + index}`, namespace: `ep${slot}-${name}`, veth: `ep${slot}v${index + 2}`}
    },
  }
}

/** The bridge with the root namespace's address on it, up. */
export async function createBridge(net: SlotNetwork): Promise<void> {
  await runOk(['ip', 'link', 'add', 'name', net.bridge, 'type', 'bridge', 'forward_delay', '0'])
  await runOk(['ip', 'link', 'set', 'dev', net.bridge, 'addrgenmode', 'none'])
  await runOk(['ip', 'addr', 'add', `${net.outsideAddress}/${net.prefixLength}`, 'dev', net.bridge])
  await runOk(['ip', 'link', 'set', 'dev', net.bridge, 'up'])
}

/** A namespace with lo up and eth0 at address, its peer veth a port of the bridge. */
export async function createHostNetwork(net: SlotNetwork, host: {namespace: string; veth: string; address: string}): Promise<void> {
  const ns = host.namespace
  await runOk(['ip', 'netns', 'add', ns])
  await runOk(['ip', 'link', 'add', 'name', host.veth, 'type', 'veth', 'peer', 'name', HOST_INTERFACE, 'netns', ns])
  await runOk(['ip', 'link', 'set', 'dev', host.veth, 'addrgenmode', 'none'])
  await runOk(['ip', 'link', 'set', 'dev', host.veth, 'master', net.bridge, 'up'])
  await runOk(['ip', '-n', ns, 'link', 'set', 'dev', HOST_INTERFACE, 'addrgenmode', 'none'])
  await runOk(['ip', '-n', ns, 'addr', 'add', `${host.address}/${net.prefixLength}`, 'dev', HOST_INTERFACE])
  await runOk(['ip', '-n', ns, 'link', 'set', 'dev', HOST_INTERFACE, 'up'])
  await runOk(['ip', '-n', ns, 'link', 'set', 'dev', 'lo', 'up'])
  // The local table's rule from preference 0 to 100, so that setCut's drop rules can come before it
  // (a packet for the host's own address is otherwise delivered before any other rule is seen).
  await runOk(['ip', '-n', ns, 'rule', 'add', 'pref', LOCAL_RULE_PREF, 'lookup', 'local'])
  await runOk(['ip', '-n', ns, 'rule', 'del', 'pref', '0', 'lookup', 'local'])
}

/** The host's own end of its veth down or up: down cuts the host off from everyone, root namespace included. */
export async function setHostLink(namespace: string, state: 'up' | 'down'): Promise<void> {
  await runOk(['ip', '-n', namespace, 'link', 'set', 'dev', HOST_INTERFACE, state])
}

/**
 * The host's outgoing traffic limited to `rate` (tc's units, e.g. '40mbit') by a token bucket on its
 * own end of the veth, or unlimited again (null): a slow network between hosts, e.g. for a leader's
 * snapshot to take long enough to watch it arrive. A root qdisc needs no classifier.
 */
export async function setEgressRate(namespace: string, rate: string | null): Promise<void> {
  if (rate === null) {
    // Deleting the root qdisc where there is none fails ("Cannot delete qdisc with handle of zero"): idempotent.
    await run(['ip', 'netns', 'exec', namespace, 'tc', 'qdisc', 'del', 'dev', HOST_INTERFACE, 'root'])
    return
  }
  await runOk(['ip', 'netns', 'exec', namespace, 'tc', 'qdisc', 'replace', 'dev', HOST_INTERFACE, 'root', 'tbf', 'rate', rate, 'burst', '64kb', 'latency', '500ms'])
}

export type CutMode = 'drop' | 'refuse'

/** Preference of the policy rules that drop a peer's packets: before the local table's (moved to LOCAL_RULE_PREF). */
const CUT_RULE_PREF = '10'
const LOCAL_RULE_PREF = '100'

/**
 * In namespace, traffic with the host at address cut (mode) or restored (null), using only ip:
 * neither nft nor iptables is assumed installed, and tc here has no classifiers.
 * - drop: packets from address arriving on eth0 are dropped silently, by a policy rule of type
 *   blackhole placed before the local table (createHostNetwork moved it to make room). Done on both
 *   hosts, that is what a real partition looks like: connects and open connections time out. A
 *   blackhole *route* would not do: for a host's own outgoing packets it fails at once with EINVAL.
 * - refuse: a prohibit route to address: the host's own connects fail at once (EACCES).
 */
export async function setCut(namespace: string, address: string, mode: CutMode | null): Promise<void> {
  const rule = ['pref', CUT_RULE_PREF, 'from', `${address}/32`, 'iif', HOST_INTERFACE, 'blackhole']
  if (mode === 'drop') {
    const added = await run(['ip', '-n', namespace, 'rule', 'add', ...rule])
    if (added.status !== 0 && !/File exists/.test(added.stderr)) throw new Error(`ip -n ${namespace} rule add ${rule.join(' ')}: ${added.stderr.trim()}`)
    return
  }
  if (mode === 'refuse') {
    await runOk(['ip', '-n', namespace, 'route', 'replace', 'prohibit', `${address}/32`])
    return
  }
  // Deleting what is not there fails ("No such file or directory", "No such process"): restoring is idempotent.
  while ((await run(['ip', '-n', namespace, 'rule', 'del', ...rule])).status === 0) {
    // an identical rule added twice by an older kernel: remove them all
  }
  await run(['ip', '-n', namespace, 'route', 'del', 'prohibit', `${address}/32`])
  // The drop rule also swallowed the peer's ARP (the kernel routes an ARP request's sender before
  // answering it), so the neighbour entry may sit in PROBE/FAILED and hold the next packet until
  // the next probe, up to a second later: forget it, so that the first packet after the heal goes.
  await run(['ip', '-n', namespace, 'neigh', 'flush', 'to', address])
}

/** The pids `ip netns pids` lists for namespace (processes whose network namespace it is). */
export function namespacePidsSync(namespace: string): number[] {
  return runSync(['ip', 'netns', 'pids', namespace])
    .split('\n')
    .map((line) => Number(line.trim()))
    .filter((pid) => Number.isInteger(pid) && pid > 0)
}

/** Names of the network namespaces that exist now. */
export function namespacesSync(): string[] {
  return runSync(['ip', 'netns', 'list'])
    .split('\n')
    .map((line) => line.trim().split(' ')[0] ?? '')
    .filter((name) => name !== '')
}

/** Names of the links in the root namespace (without the @peer suffix). */
export function linksSync(): string[] {
  const names: string[] = []
  for (const line of runSync(['ip', '-o', 'link', 'show']).split('\n')) {
    const match = /^\d+:\s+([^:@\s]+)/.exec(line)
    if (match?.[1] !== undefined) names.push(match[1])
  }
  return names
}

export interface NetworkNames {
  readonly namespaces: readonly string[]
  readonly links: readonly string[]
}

/** The namespaces and root-namespace links that exist now. */
export function networkNamesSync(): NetworkNames {
  return {namespaces: namespacesSync(), links: linksSync()}
}

/** What exists of slot k (in `now`, by default the machine as it is): its namespaces and links (bridge and veths), found by name. */
export function slotLeftovers(slot: number, now: NetworkNames = networkNamesSync()): {namespaces: string[]; links: string[]} {
  const ns = new RegExp(`^ep${slot}-`)
  const link = new RegExp(`^(epbr${slot}|ep${slot}v\\d+)$`)
  return {namespaces: now.namespaces.filter((name) => ns.test(name)), links: now.links.filter((name) => link.test(name))}
}

/**
 * Ends every process in the namespaces (SIGKILL, by the pids `ip netns pids` lists, again until none
 * is left: a dying sshd may still fork), then deletes the links and the namespaces. Synchronous, so
 * that it can run in a process 'exit' handler. Returns what could not be removed.
 */
export function removeNetworkSync(namespaces: readonly string[], links: readonly string[]): string[] {
  for (let round = 0; round < 10; round++) {
    const pids = namespaces.flatMap((ns) => namespacePidsSync(ns))
    if (pids.length === 0) break
    signalAll(pids, 'SIGKILL')
    const deadline = Date.now() + 2_000
    while (pids.some((pid) => isAlive(pid)) && Date.now() < deadline) sleepSync(10)
  }
  // The root-side veth first: deleting one end deletes the pair at once, while a namespace's own
  // interfaces go only when the kernel gets round to freeing the namespace.
  const bridges = links.filter((name) => name.startsWith('epbr'))
  for (const link of links.filter((name) => !name.startsWith('epbr'))) runSync(['ip', 'link', 'del', 'dev', link])
  for (const ns of namespaces) runSync(['ip', 'netns', 'del', ns])
  for (const bridge of bridges) runSync(['ip', 'link', 'del', 'dev', bridge])
  const remaining = new Set([...namespacesSync(), ...linksSync()])
  return [...namespaces, ...links].filter((name) => remaining.has(name))
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}
