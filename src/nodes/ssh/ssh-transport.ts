// The ssh transport: the system OpenSSH client, run as a program (child_process.spawn, never a
// shell), one master connection per host for the whole apply (ssh-argv.ts). The masters' sockets
// live in a temp dir of this apply (mkdtemp under os.tmpdir(), or under /tmp when a socket path
// below that would be too long: ssh-argv.ts; mode 0700: a control socket lets anyone who can open it
// use the connection); close() ends every master (`ssh -O exit`) and removes the dir. Exit status
// 255 is ssh's own failure and becomes a HostTransportError classified from its stderr
// (classify-ssh-failure.ts); any other status is the remote command's.
import {appendFileSync, mkdtempSync, readdirSync, rmdirSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {HostTransportError, type HostRunResult, type HostTransport, type StdinPart} from './host-transport.js'
import {classifySshFailure} from './classify-ssh-failure.js'
import {runChild} from './run-child.js'
import {shellCommandLine} from './shell-quote.js'
import {controlDirParent, sshExitArgv, sshRunArgv, type SshConnectOptions} from './ssh-argv.js'

/**
 * ETCDPLAN_SSH_TRACE=FILE appends one line per ssh round trip (`<epoch ms at start> <ms> <host> <operation> <status>`):
 * how many round trips a step costs and how long each takes (the README's figures come from it).
 */
function traceRoundTrip(host: string, argv: readonly string[], started: number, status: number | null): void {
  const file = process.env['ETCDPLAN_SSH_TRACE']
  if (file === undefined || file === '') return
  const at = argv.indexOf('etcdplan-host')
  const operation = at >= 0 ? (argv[at + 1] ?? '?') : '?'
  try {
    appendFileSync(file, `${Math.round(performance.timeOrigin + started)} ${Math.round(performance.now() - started)} ${host} ${operation} ${status ?? 'signal'}\n`)
  } catch {
    // A trace that cannot be written never fails an operation.
  }
}

/** ssh's own failures (cannot connect, connection lost) exit 255; a remote command's status is passed through. */
const SSH_FAILED = 255

const CONTROL_DIR_PREFIX = 'etcdplan-ssh-'
/** Longer than ControlPersist (30 s): a master of a killed apply has exited and removed its socket by then. */
const ABANDONED_AFTER_MS = 120_000

/**
 * An apply killed (SIGKILL, power cut) cannot remove its control dir; its masters end by themselves
 * (ControlPersist) and take their sockets with them, leaving an empty dir. Empty dirs of ours older
 * than that are removed; a dir with a socket in it may serve a running apply and is left alone.
 */
export function sweepAbandonedControlDirs(parent: string): void {
  let names: string[]
  try {
    names = readdirSync(parent).filter((name) => name.startsWith(CONTROL_DIR_PREFIX))
  } catch {
    return
  }
  for (const name of names) {
    const path = join(parent, name)
    try {
      if (Date.now() - statSync(path).mtimeMs < ABANDONED_AFTER_MS || readdirSync(path).length > 0) continue
      rmdirSync(path)
    } catch {
      // Another apply's, or gone already: never a reason to fail.
    }
  }
}

export class SshTransport implements HostTransport {
  private controlDir: string | null = null
  /** Hosts a master may have been started for (close() ends each). */
  private readonly hosts = new Set<string>()

  constructor(private readonly options: SshConnectOptions, private readonly program = 'ssh') {}

  /** The apply's control-socket dir, made on first use (after sweeping what killed applies left). */
  private dir(): string {
    if (this.controlDir === null) {
      const parent = controlDirParent(tmpdir())
      sweepAbandonedControlDirs(parent)
      this.controlDir = mkdtempSync(join(parent, CONTROL_DIR_PREFIX))
    }
    return this.controlDir
  }

  async run(host: string, argv: readonly string[], stdin: readonly StdinPart[]): Promise<HostRunResult> {
    this.hosts.add(host)
    const started = performance.now()
    const result = await runChild(this.program, sshRunArgv(this.options, this.dir(), host, shellCommandLine(argv)), stdin)
    traceRoundTrip(host, argv, started, result.status)
    if (result.spawnError !== null) throw new HostTransportError(`could not run ${this.program} (the OpenSSH client) to reach ${host}: ${result.spawnError.message}; install openssh-client on this machine`, host, false, '')
    if (result.status === SSH_FAILED) throw classifySshFailure(host, result.stderr)
    return {status: result.status, stdout: result.stdout, stderr: result.stderr}
  }

  async reset(host: string): Promise<void> {
    if (this.controlDir === null) return
    await runChild(this.program, sshExitArgv(this.options, this.controlDir, host), []).catch(() => null)
  }

  async close(): Promise<void> {
    const dir = this.controlDir
    if (dir === null) return
    await Promise.all([...this.hosts].map((host) => this.reset(host)))
    this.hosts.clear()
    try {
      rmSync(dir, {recursive: true, force: true})
    } catch {
      // close never rejects; a leftover empty dir in tmp is harmless.
    }
    this.controlDir = null
  }

  /** Where the masters' sockets are (tests kill a master by its socket). */
  get controlPath(): string | null {
    return this.controlDir
  }
}
