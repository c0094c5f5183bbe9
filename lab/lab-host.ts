// One host of the lab: a network namespace (lab-network.ts) plus a mount namespace in which the
// host's own /etc/etcd, /var/lib/etcd, /var/lib/etcdplan and /root are bind mounts of directories below the
// test's dir, and an sshd listening on the host's address.
//
// The mount namespace is held by an anchor process (`sleep infinity`, started through
// `ip netns exec NS unshare --mount --propagation private`), not by sshd: sshd is stopped and started
// again for fault injection, and the etcd members started over ssh must find the same mounts
// afterwards. sshd, exec() and spawnDaemon() all enter the anchor's namespaces with nsenter, so
// they see the host as an ssh session sees it. Private propagation keeps the bind mounts out of the
// root namespace and out of the other hosts. (`ip netns exec` also bind-mounts /etc/netns/NS/* over
// /etc; nothing here relies on that, and the lab writes no such files.)
import {spawn, type ChildProcess} from 'node:child_process'
import {closeSync, openSync} from 'node:fs'
import {connect} from 'node:net'
import {join, posix} from 'node:path'
import {namespacePidsSync, setCut, setEgressRate, setHostLink, HOST_INTERFACE, type CutMode} from './lab-network.js'
import {isAlive, processExe, run, signalAll, terminate, waitGone, type RunOptions} from './lab-process.js'

/**
 * The directories each host has of its own; everything else is the machine's shared disk. /root is
 * among them so that a host's root is a fresh account, as on a machine of its own: no ~/.bashrc of
 * the machine running the tests (which bash sources for every ssh command, and which may set PATH
 * or take long: pyenv here), nothing of its ~/.ssh.
 */
export const HOST_DIRS = ['/etc/etcd', '/var/lib/etcd', '/var/lib/etcdplan', '/root'] as const

/** The mode of each host's own copy of a HOST_DIRS directory. */
export function hostDirMode(path: string): number {
  return path === '/var/lib/etcd' || path === '/root' ? 0o700 : 0o755
}

const SSHD = '/usr/sbin/sshd'
const SSH_PORT = 22
const SSHD_START_TIMEOUT_MS = 10_000

export interface ExecResult {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

export interface LabDaemon {
  readonly pid: number
  /** SIGTERM, SIGKILL after 5 s; resolves once it is gone. */
  stop(): Promise<void>
}

export interface StopSshdOptions {
  /**
   * Leave the connections sshd already accepted alive (as `systemctl stop ssh` does): only new
   * connections are refused, and an ssh ControlMaster rides it out. Default false: every sshd
   * process of the host ends, so open connections drop too (what a provider must survive).
   */
  readonly keepSessions?: boolean
}

export interface LabHost {
  readonly name: string
  readonly namespace: string
  readonly address: string
  readonly alias: string
  /** The root-namespace end of the host's veth (a port of the lab's bridge). */
  readonly veth: string
  /** Where the host's own /etc/etcd, /var/lib/etcd, /var/lib/etcdplan are on the real disk (below dir). Throws for any other path. */
  rootOf(hostPath: string): string
  /** Runs argv inside the host (its net and mount namespace), as root; for tests' set-up and inspection only. Works while sshd is down. */
  exec(argv: readonly string[], options?: {input?: string; timeoutMs?: number}): Promise<ExecResult>
  /** The argv that runs `argv` inside the host (nsenter into its network and mount namespaces), for a spawn of the caller's own (the lab stops what runs in the host at close). */
  enter(argv: readonly string[]): string[]
  /** Starts a long-running process inside the host (e.g. named), stdout/stderr appended to `log`; the lab stops it at close. */
  spawnDaemon(argv: readonly string[], log: string): Promise<LabDaemon>
  /** The listening sshd's pid, or null while it is stopped. */
  sshdPid(): number | null
  /** Fault injection: sshd down (processes in the host, etcd included, keep running). */
  stopSshd(options?: StopSshdOptions): Promise<void>
  /** sshd up again (no-op when it runs); resolves once it accepts connections. */
  startSshd(): Promise<void>
  /** The host's own end of its veth down: the host is cut off from every other host and from outside. */
  linkDown(): Promise<void>
  linkUp(): Promise<void>
  /** Limits what the host sends to `rate` (tc units, e.g. '40mbit'), or lifts the limit (null): a slow link. */
  limitEgress(rate: string | null): Promise<void>
  /**
   * Cuts traffic between this host and other, both ways, leaving everything else as it is (the root
   * namespace still reaches both). drop (default) drops packets silently, as a real partition does:
   * connections time out; refuse makes each host's connects to the other fail at once.
   */
  cutFrom(other: string | LabHost, options?: {mode?: CutMode}): Promise<void>
  /** Undoes cutFrom (no-op when there is no cut). */
  reconnect(other: string | LabHost): Promise<void>
}

export interface HostLayout {
  readonly name: string
  readonly namespace: string
  readonly address: string
  readonly alias: string
  readonly veth: string
  /** dir/lab/hosts/<name>: the host's sshd files and logs. */
  readonly dir: string
  /** dir/lab/hosts/<name>/root: below it, the host's own /etc/etcd and so on. */
  readonly root: string
  readonly sshdConfig: string
}

export class NetnsHost implements LabHost {
  readonly name: string
  readonly namespace: string
  readonly address: string
  readonly alias: string
  readonly veth: string
  private anchor: ChildProcess | null = null
  private sshd: ChildProcess | null = null
  private readonly daemons = new Set<number>()

  constructor(
    private readonly layout: HostLayout,
    private readonly lookup: (name: string) => LabHost,
  ) {
    this.name = layout.name
    this.namespace = layout.namespace
    this.address = layout.address
    this.alias = layout.alias
    this.veth = layout.veth
  }

  /** The anchor of the mount namespace, then sshd; resolves once sshd accepts connections. */
  async start(): Promise<void> {
    await this.startAnchor()
    await this.startSshd()
  }

  /** The processes the lab started for this host (anchor, sshd, daemons) that still run. */
  startedPids(): number[] {
    return [this.anchor?.pid, this.sshd?.pid, ...this.daemons].filter((pid): pid is number => pid !== undefined && isAlive(pid))
  }

  rootOf(hostPath: string): string {
    const path = posix.resolve('/', hostPath)
    if (!HOST_DIRS.some((dir) => path === dir || path.startsWith(`${dir}/`))) {
      throw new Error(`${hostPath} is not below one of host ${this.name}'s own directories (${HOST_DIRS.join(', ')}); the rest of its disk is the machine's`)
    }
    return join(this.layout.root, path)
  }

  async exec(argv: readonly string[], options: {input?: string; timeoutMs?: number} = {}): Promise<ExecResult> {
    const runOptions: RunOptions = {...(options.input === undefined ? {} : {input: options.input}), timeoutMs: options.timeoutMs ?? 30_000}
    const result = await run(this.enter(argv), runOptions)
    return {status: result.status, stdout: result.stdout, stderr: result.stderr}
  }

  async spawnDaemon(argv: readonly string[], log: string): Promise<LabDaemon> {
    const child = await this.spawnInside(argv, log)
    const pid = child.pid!
    this.daemons.add(pid)
    return {
      pid,
      stop: async () => {
        await terminate([pid], 5_000)
        this.daemons.delete(pid)
      },
    }
  }

  sshdPid(): number | null {
    const pid = this.sshd?.pid
    return pid !== undefined && isAlive(pid) ? pid : null
  }

  async stopSshd(options: StopSshdOptions = {}): Promise<void> {
    const listener = this.sshdPid()
    this.sshd = null
    if (listener !== null) await terminate([listener], 3_000)
    if (options.keepSessions === true) return
    // Each accepted connection is an sshd process of its own (monitor and session child), forked by
    // the listener and still running after it: these end too, so open connections drop.
    const sessions = namespacePidsSync(this.namespace).filter((pid) => processExe(pid) === SSHD)
    await terminate(sessions, 3_000)
  }

  async startSshd(): Promise<void> {
    if (this.sshdPid() !== null) return
    const child = await this.spawnInside([SSHD, '-D', '-e', '-f', this.layout.sshdConfig], join(this.layout.dir, 'sshd.log'))
    this.sshd = child
    await this.waitForSshd(child)
  }

  async linkDown(): Promise<void> {
    await setHostLink(this.namespace, 'down')
  }

  async linkUp(): Promise<void> {
    await setHostLink(this.namespace, 'up')
  }

  async limitEgress(rate: string | null): Promise<void> {
    await setEgressRate(this.namespace, rate)
  }

  async cutFrom(other: string | LabHost, options: {mode?: CutMode} = {}): Promise<void> {
    const peer = this.peer(other)
    const mode = options.mode ?? 'drop'
    await setCut(this.namespace, peer.address, mode)
    await setCut(peer.namespace, this.address, mode)
  }

  async reconnect(other: string | LabHost): Promise<void> {
    const peer = this.peer(other)
    await setCut(this.namespace, peer.address, null)
    await setCut(peer.namespace, this.address, null)
  }

  /** Stops what the lab started for this host, sshd and daemons first (close() then kills whatever else is in the namespace). */
  async stopAll(): Promise<void> {
    const pids = this.startedPids()
    signalAll(pids, 'SIGKILL')
    await waitGone(pids, 5_000)
    this.sshd = null
    this.anchor = null
    this.daemons.clear()
  }

  private peer(other: string | LabHost): LabHost {
    const peer = typeof other === 'string' ? this.lookup(other) : other
    if (peer.name === this.name) throw new Error(`host ${this.name} cannot be cut from itself`)
    return peer
  }

  /** argv run by nsenter in the anchor's network and mount namespaces. */
  enter(argv: readonly string[]): string[] {
    const anchor = this.anchor?.pid
    if (anchor === undefined || !isAlive(anchor)) throw new Error(`host ${this.name} is not running (its mount namespace anchor is gone)`)
    // nsenter execs argv itself (it forks only to enter a pid namespace), so the child's pid is argv's.
    return ['nsenter', '-t', String(anchor), '-n', '-m', '--', ...argv]
  }

  private spawnInside(argv: readonly string[], log: string): Promise<ChildProcess> {
    const [command, ...args] = this.enter(argv)
    return spawnLogged(command!, args, log)
  }

  private async startAnchor(): Promise<void> {
    const mounts = HOST_DIRS.flatMap((dir) => [join(this.layout.root, dir), dir])
    // The bind mounts, then "ready" on stdout, then the anchor sleeps for the host's lifetime.
    const script = 'set -e; while [ $# -gt 0 ]; do mount --bind "$1" "$2"; shift 2; done; echo ready; exec sleep infinity </dev/null >/dev/null 2>&1'
    const log = openSync(join(this.layout.dir, 'anchor.log'), 'a')
    let child: ChildProcess
    try {
      child = spawn('ip', ['netns', 'exec', this.namespace, 'unshare', '--mount', '--propagation', 'private', 'sh', '-c', script, 'lab-host', ...mounts], {
        cwd: '/',
        stdio: ['ignore', 'pipe', log],
      })
    } finally {
      closeSync(log)
    }
    this.anchor = child
    await new Promise<void>((resolve, reject) => {
      let output = ''
      const onExit = (status: number | null) => reject(new Error(`host ${this.name}: its mount namespace could not be set up (exit ${status}); see ${join(this.layout.dir, 'anchor.log')}`))
      child.once('error', reject)
      child.once('exit', onExit)
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8')
        if (output.includes('ready\n')) {
          child.removeListener('exit', onExit)
          child.stdout!.destroy()
          resolve()
        }
      })
    })
    child.unref()
  }

  /** Resolves once sshd sends its banner on the host's address; rejects if it exits first or takes over 10 s. */
  private async waitForSshd(child: ChildProcess): Promise<void> {
    const deadline = Date.now() + SSHD_START_TIMEOUT_MS
    const log = join(this.layout.dir, 'sshd.log')
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null || !isAlive(child.pid!)) throw new Error(`host ${this.name}: sshd exited at start; see ${log}`)
      if (await sshBanner(this.address)) return
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    throw new Error(`host ${this.name}: sshd does not accept connections on ${this.address}:${SSH_PORT} after ${SSHD_START_TIMEOUT_MS} ms (${HOST_INTERFACE} down?); see ${log}`)
  }
}

/** Spawns command with stdout and stderr appended to log, unref'd; resolves once it runs. */
function spawnLogged(command: string, args: readonly string[], log: string): Promise<ChildProcess> {
  const fd = openSync(log, 'a')
  try {
    const child = spawn(command, args, {cwd: '/', stdio: ['ignore', fd, fd]})
    return new Promise((resolve, reject) => {
      child.once('error', reject)
      child.once('spawn', () => {
        // A forgotten daemon must not keep the test process alive; the exit cleanup still ends it.
        child.unref()
        resolve(child)
      })
    })
  } finally {
    closeSync(fd)
  }
}

/** Whether an SSH server answers with its banner on address:22 within 1 s. */
function sshBanner(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({host: address, port: SSH_PORT})
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(1_000, () => done(false))
    socket.once('error', () => done(false))
    socket.once('data', (chunk: Buffer) => done(chunk.toString('latin1').startsWith('SSH-')))
  })
}
