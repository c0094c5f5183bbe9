// The `ssh` node provider: a member's host reached with the system OpenSSH client, one master
// connection per host for the whole apply (ssh/ssh-transport.ts), every operation done there by one
// fixed helper script sent on stdin (share/etcdplan-host.sh, ssh/host-script.ts) with the spec's
// values as its quoted arguments, never spliced into a command line (issue 11, "Providers -> ssh").
// It mirrors the local provider on the host: configs written atomically (0600 when they name key
// files), etcd detached with a pid file and a log in runDir and the same adoption and identity
// checks (a pid file's pid must run this member's config; otherwise this member's etcd is found by
// its command line or by the etcd listening on its peer or client port, and adopted), or a systemd
// unit per member; files put by sha256; snapshots checked and restored on the host with the tool of
// the member's etcd release. Each operation is one round trip where it can be (restore and putFile
// take two or three), and is retried whole when the connection drops mid-way (ssh/with-retry.ts):
// every operation is idempotent by contract (node-provider.ts). The protocol of the script and the
// way start marks are kept with systemd: src/nodes/ssh/README.md.
import {join} from 'node:path'
import {isIP} from 'node:net'
import type {MemberSpec, SshNodes} from '../spec/types.js'
import {checksumUnlessKnown} from './checksum-file.js'
import {failedStartPath} from './failed-start-path.js'
import {fencedPath} from './fenced-path.js'
import {parseFence} from './ssh/parse-fence.js'
import {DATA_DIR_FILES_LISTED, HOST_FILE_MAX_BYTES, NodeProviderError, RESTORED_MARK, SNAPSHOT_TEMP_PREFIX, type DataDirContents, type FenceResult, type HostFile, type HostProbe, type HostProbeRequest, type HostSnapshotStatus, type NodeProvider, type PutFileRequest, type PutFileResult, type RestoreRequest} from './node-provider.js'
import {WAL_HEAD_BYTES, walDirOf} from './read-wal-identity.js'
import {parseSnapshotStatus} from './run-snapshot-status.js'
import {sshSnapshotPath} from './snapshot-path-on-host.js'
import {startMarkLine} from './start-mark.js'
import {summarizeToolError} from './summarize-tool-error.js'
import {configFileMode} from './ssh/config-mode.js'
import {fillTemplate} from '../spec/name-template.js'
import {parseReadFiles} from './ssh/parse-read-files.js'
import {hostScript, hostScriptArgv} from './ssh/host-script.js'
import {HostTransportError, type HostRunResult, type HostTransport, type StdinPart} from './ssh/host-transport.js'
import {parseInspect} from './ssh/parse-inspect.js'
import {parseProbe} from './ssh/parse-probe.js'
import {SshTransport} from './ssh/ssh-transport.js'
import {withRetry} from './ssh/with-retry.js'

/** The helper script's exit codes (share/etcdplan-host.sh). */
const OK = 0
const ABSENT = 3
const REFUSED = 4
const EXITED_AT_ONCE = 5
const TOOL_FAILED = 6
/** A snapshot is every key of the cluster: readable by its owner only unless asked otherwise (as put-local-file.ts). */
const DEFAULT_PUT_MODE = 0o600
/** Names tried for moveDataDirAside in one round trip: `<dataDir>.failed-start-<stamp>`, `-2`, ... */
const ASIDE_CANDIDATES = 20

export class SshNodeProvider implements Required<NodeProvider> {
  constructor(private readonly options: SshNodes, private readonly transport: HostTransport = new SshTransport(options)) {}

  /** The member's pid file, log and start marks on its host (nodes.ssh.runDir). */
  runDir(member: MemberSpec): string {
    return fillTemplate(this.options.runDir, member.name)
  }

  logFile(member: MemberSpec): string {
    return join(this.runDir(member), 'etcd.log')
  }

  pidFile(member: MemberSpec): string {
    return join(this.runDir(member), 'etcd.pid')
  }

  unit(member: MemberSpec): string {
    return fillTemplate(this.options.unit, member.name)
  }

  /** The member's etcd binary on its host: its own (member.etcd), else nodes.ssh.etcd. */
  etcd(member: MemberSpec): string {
    return member.etcd ?? this.options.etcd
  }

  async writeConfig(member: MemberSpec, path: string, content: string): Promise<void> {
    await this.operation(member, 'write the config', async () => {
      const mode = configFileMode(content)
      this.expect(member, 'writing the config', path, await this.call(member, 'write-file', [path, octal(mode)], [Buffer.from(content, 'utf8')]))
    })
  }

  async readConfig(member: MemberSpec, path: string): Promise<string | null> {
    return this.operation(member, 'read the config', async () => {
      const run = await this.call(member, 'read-file', [path])
      if (run.status === ABSENT) return null
      this.expect(member, 'reading the config', path, run)
      return run.stdout.toString('utf8')
    })
  }

  async start(member: MemberSpec, configPath: string): Promise<void> {
    await this.operation(member, 'start etcd', async () => {
      const mark = startMarkLine(member.name, configPath, new Date())
      const run = this.options.service === 'systemd'
        ? await this.call(member, 'unit-start', [this.unit(member), this.runDir(member), mark])
        : await this.call(member, 'start', [...this.identity(member, configPath), this.etcd(member), this.path(member.dataDir, member), mark])
      if (run.status === EXITED_AT_ONCE) {
        const what = this.options.service === 'systemd' ? `the unit ${this.unit(member)}` : `etcd (${this.etcd(member)} --config-file ${configPath})`
        throw new NodeProviderError(`${what} for ${member.name} on ${member.host} exited at once; the log's last lines say why`, member.name, run.stdout.toString('utf8').trimEnd(), run.stderr)
      }
      this.expect(member, 'starting etcd', configPath, run)
    })
  }

  async stop(member: MemberSpec, timeoutMs: number): Promise<void> {
    await this.operation(member, 'stop etcd', async () => {
      const run = this.options.service === 'systemd'
        ? await this.call(member, 'unit-stop', [this.unit(member)])
        : await this.call(member, 'stop', [...this.identity(member), String(timeoutMs)])
      this.expect(member, 'stopping etcd', this.options.service === 'systemd' ? this.unit(member) : this.pidFile(member), run)
    })
  }

  async restart(member: MemberSpec, configPath: string, timeoutMs: number): Promise<void> {
    if (this.options.service !== 'systemd') {
      await this.stop(member, timeoutMs)
      await this.start(member, configPath)
      return
    }
    await this.operation(member, 'restart etcd', async () => {
      const run = await this.call(member, 'unit-restart', [this.unit(member), this.runDir(member), startMarkLine(member.name, configPath, new Date())])
      if (run.status === EXITED_AT_ONCE) throw new NodeProviderError(`the unit ${this.unit(member)} for ${member.name} on ${member.host} exited at once after the restart; the log's last lines say why`, member.name, run.stdout.toString('utf8').trimEnd(), run.stderr)
      this.expect(member, 'restarting etcd', this.unit(member), run)
    })
  }

  async awaitExit(member: MemberSpec, timeoutMs: number): Promise<boolean> {
    return this.operation(member, 'wait for etcd to exit', async () => {
      const run = this.options.service === 'systemd'
        ? await this.call(member, 'unit-await-exit', [this.unit(member), String(timeoutMs)])
        : await this.call(member, 'await-exit', [...this.identity(member), String(timeoutMs)])
      this.expect(member, 'waiting for etcd to exit', this.pidFile(member), run)
      return run.stdout.toString('utf8').trim() === 'exited'
    })
  }

  async isRunning(member: MemberSpec): Promise<boolean> {
    return this.operation(member, 'see whether etcd runs', async () => {
      const run = this.options.service === 'systemd'
        ? await this.call(member, 'unit-active', [this.unit(member)])
        : await this.call(member, 'running', this.identity(member))
      if (run.status === ABSENT) return false
      this.expect(member, 'looking for etcd', this.pidFile(member), run)
      return true
    })
  }

  async putFile(member: MemberSpec, request: PutFileRequest): Promise<PutFileResult> {
    return this.operation(member, 'put a file', () => this.putFileOnce(member, request))
  }

  async snapshotStatus(member: MemberSpec, path: string): Promise<HostSnapshotStatus> {
    return this.operation(member, 'check a snapshot', async () => {
      const run = await this.call(member, 'snapshot-status', [this.etcd(member), path])
      const [toolLine = '', ...rest] = run.stdout.toString('utf8').split('\n')
      const tool = toolLine.startsWith('tool etcdutl') ? 'etcdutl' : 'etcdctl'
      if (run.status === TOOL_FAILED) throw new NodeProviderError(`the snapshot ${path} does not verify (${tool} snapshot status on ${member.name}'s host ${member.host}): ${summarizeToolError(run.stderr)}`, member.name, '', run.stderr)
      this.expect(member, 'checking the snapshot', path, run)
      const outcome = parseSnapshotStatus(rest.join('\n'), tool)
      if (!outcome.ok) throw new NodeProviderError(`the snapshot ${path} on ${member.name}'s host ${member.host} could not be checked: ${outcome.stderr}`, member.name, '', outcome.stderr)
      return outcome.status
    })
  }

  async restore(member: MemberSpec, request: RestoreRequest): Promise<'restored' | 'already-restored'> {
    return this.operation(member, 'restore a snapshot', async () => {
      const dataDir = this.path(request.dataDir, member)
      const state = await this.call(member, 'data-dir-state', [dataDir, RESTORED_MARK])
      this.expect(member, 'looking at the data dir', dataDir, state)
      const found = state.stdout.toString('utf8').trim()
      if (found === 'restored') return 'already-restored'
      if (found === 'foreign') throw this.foreignDataDir(member, request.dataDir)
      // The executor names the snapshot by its path on the apply machine; on the host it goes into
      // snapshotDir under the same file name (that path is not one on the host), where the
      // snapshot checks put it too (snapshot-path-on-host.ts).
      let hostSnapshot = request.snapshotPath
      let sha256 = ''
      if (request.localSnapshotPath !== undefined) {
        hostSnapshot = sshSnapshotPath(this.options.snapshotDir, member.name, request.localSnapshotPath)
        sha256 = (await this.putFileOnce(member, {localPath: request.localSnapshotPath, remotePath: hostSnapshot, ...(request.sha256 === undefined ? {} : {sha256: request.sha256})})).sha256
      }
      const run = await this.call(member, 'restore', [this.etcd(member), hostSnapshot, dataDir, member.name, request.initialCluster, request.initialClusterToken, request.peerURL, sha256, RESTORED_MARK])
      const said = run.stdout.toString('utf8').trim()
      if (run.status === OK) return said === 'already-restored' ? 'already-restored' : 'restored'
      if (run.status === REFUSED && said === 'exists') throw this.foreignDataDir(member, request.dataDir)
      if (run.status === REFUSED) throw new NodeProviderError(`the snapshot ${hostSnapshot} on ${member.name}'s host ${member.host} is not the one put there (${said}, expected sha256 ${sha256}); nothing was restored: apply again to copy it afresh`, member.name, '')
      if (run.status === ABSENT) throw new NodeProviderError(`there is no snapshot at ${hostSnapshot} on ${member.name}'s host ${member.host}; nothing was restored`, member.name, '')
      if (run.status === TOOL_FAILED) {
        const tool = said.includes('etcdutl') ? 'etcdutl' : 'etcdctl'
        throw new NodeProviderError(`restoring the snapshot ${hostSnapshot} for ${member.name} on ${member.host} failed (${tool} snapshot restore): ${summarizeToolError(run.stderr)}`, member.name, run.stderr.trim(), run.stderr)
      }
      this.expect(member, 'restoring the snapshot', hostSnapshot, run)
      return 'restored'
    })
  }

  async logTail(member: MemberSpec, lines: number): Promise<string> {
    return this.operation(member, 'read the log', async () => {
      const run = this.options.service === 'systemd'
        ? await this.call(member, 'unit-log-tail', [this.unit(member), this.runDir(member), String(lines)])
        : await this.call(member, 'log-tail', [this.logFile(member), String(lines)])
      this.expect(member, 'reading the log', this.logFile(member), run)
      return run.stdout.toString('utf8').trimEnd()
    })
  }

  async inspectDataDir(member: MemberSpec): Promise<DataDirContents> {
    return this.operation(member, 'look into the data dir', async () => {
      const dataDir = this.path(member.dataDir, member)
      const run = await this.call(member, 'inspect', [dataDir, this.path(walDirOf(member), member), String(DATA_DIR_FILES_LISTED), String(WAL_HEAD_BYTES)])
      this.expect(member, 'looking into the data dir', dataDir, run)
      return parseInspect(dataDir, run.stdout)
    })
  }

  async moveDataDirAside(member: MemberSpec): Promise<string | null> {
    return this.operation(member, 'move the data dir aside', async () => {
      const dataDir = this.path(member.dataDir, member)
      const at = new Date()
      const candidates = Array.from({length: ASIDE_CANDIDATES}, (_, i) => failedStartPath(dataDir, at, i + 1))
      const run = await this.call(member, 'move-aside', [dataDir, ...candidates])
      if (run.status === ABSENT) return null
      if (run.status === REFUSED) throw new NodeProviderError(`could not move the data dir ${dataDir} of ${member.name} aside on ${member.host}: ${candidates[0]} and ${ASIDE_CANDIDATES - 1} more names beside it are taken; move it aside by hand`, member.name, '')
      this.expect(member, 'moving the data dir aside', dataDir, run)
      return run.stdout.toString('utf8').trimEnd()
    })
  }

  /** One round trip: every path renamed on the host (share/etcdplan-host.sh `fence`), then with service: systemd the unit disabled. */
  async fenceMember(member: MemberSpec, paths: readonly string[]): Promise<FenceResult> {
    return this.operation(member, 'fence the removed member', async () => {
      const onHost = paths.map((p) => this.path(p, member))
      const at = new Date()
      const unit = this.options.service === 'systemd' ? this.unit(member) : ''
      const args = onHost.flatMap((p) => [p, ...Array.from({length: ASIDE_CANDIDATES}, (_, i) => fencedPath(p, at, i + 1))])
      const run = await this.call(member, 'fence', [unit, String(ASIDE_CANDIDATES), ...args])
      if (run.status === REFUSED) throw new NodeProviderError(`could not fence ${member.name} on ${member.host}: every name tried beside one of ${onHost.join(', ')} (${fencedPath(onHost[0] ?? '', at)} and ${ASIDE_CANDIDATES - 1} more) is taken; move it aside by hand`, member.name, '')
      this.expect(member, 'fencing (moving aside)', onHost.join(', '), run)
      return parseFence(onHost, unit, run.stdout)
    })
  }

  async probeHost(member: MemberSpec, request: HostProbeRequest): Promise<HostProbe> {
    return this.operation(member, 'probe the host', async () => {
      const run = await this.call(member, 'probe', [this.etcd(member), String(request.files.length), ...request.files])
      this.expect(member, 'probing the host', member.host, run)
      return parseProbe(this.etcd(member), request, run.stdout)
    })
  }

  async readHostFiles(member: MemberSpec, paths: readonly string[]): Promise<HostFile[]> {
    return this.operation(member, 'read files', async () => {
      const run = await this.call(member, 'read-files', [String(HOST_FILE_MAX_BYTES), ...paths])
      // Never the output in the error: it may hold a private key.
      if (run.status !== OK) throw new NodeProviderError(`reading ${paths.length === 1 ? 'a file' : 'files'} on ${member.name}'s host ${member.host} failed (exit code ${run.status})`, member.name, '')
      return parseReadFiles(paths, run.stdout)
    })
  }

  async receivingSnapshotBytes(member: MemberSpec): Promise<number | null> {
    return this.operation(member, 'look for a snapshot being received', async () => {
      const run = await this.call(member, 'receiving-snapshot', [`${this.path(member.dataDir, member)}/member/snap`, SNAPSHOT_TEMP_PREFIX])
      this.expect(member, 'looking for a snapshot being received', member.host, run)
      const text = run.stdout.toString('utf8').trim()
      return text === '' ? null : Number(text)
    })
  }

  async close(): Promise<void> {
    await this.transport.close().catch(() => {})
  }

  private async putFileOnce(member: MemberSpec, request: PutFileRequest): Promise<PutFileResult> {
    let local
    try {
      // A snapshot's sha256 is known from its save: the local file is not read only to learn it (the
      // host's helper checks the copy against it).
      local = await checksumUnlessKnown(request.localPath, request.sha256)
    } catch (error) {
      throw new NodeProviderError(`could not read the file to put on ${member.name}'s host, ${request.localPath}: ${(error as Error).message}`, member.name, '')
    }
    if (local === null) throw new NodeProviderError(`could not read the file to put on ${member.name}'s host, ${request.localPath}: no such file`, member.name, '')
    const remote = await this.call(member, 'sha256', [request.remotePath])
    if (remote.status === OK && remote.stdout.toString('utf8').split(' ')[0] === local.sha256) return {copied: false, ...local}
    if (remote.status !== ABSENT) this.expect(member, 'reading the checksum of', request.remotePath, remote)
    const run = await this.call(member, 'put-file', [request.remotePath, octal(request.mode ?? DEFAULT_PUT_MODE), local.sha256], [{file: request.localPath}])
    if (run.status === REFUSED) {
      throw new NodeProviderError(
        `copying ${request.localPath} to ${request.remotePath} on ${member.name}'s host ${member.host} gave a different file (${run.stdout.toString('utf8').trim()} instead of sha256=${local.sha256} bytes=${local.bytes}); ${request.remotePath} was not written`,
        member.name,
        '',
      )
    }
    this.expect(member, 'copying to', request.remotePath, run)
    return {copied: true, ...local}
  }

  /** One round trip of the helper script on the member's host. */
  private async call(member: MemberSpec, op: string, args: readonly string[], payload: readonly StdinPart[] = []): Promise<HostRunResult> {
    return this.transport.run(member.host, hostScriptArgv(op, args, this.options.sudo), [hostScript(), ...payload])
  }

  /**
   * An operation, retried whole when the connection drops (with-retry.ts); a host that cannot be
   * reached is a NodeProviderError the operator fixes (its message says what to do).
   */
  private async operation<T>(member: MemberSpec, what: string, action: () => Promise<T>): Promise<T> {
    try {
      return await withRetry(action, () => this.transport.reset(member.host))
    } catch (error) {
      if (error instanceof HostTransportError) throw new NodeProviderError(`could not ${what} for ${member.name} on ${member.host}: ${error.message}`, member.name, '', error.stderr)
      throw error
    }
  }

  /** A round trip that did not answer OK is an error naming the member, the host, what and where. */
  private expect(member: MemberSpec, doing: string, where: string, run: HostRunResult): void {
    if (run.status === OK) return
    const said = run.stderr.trim().split('\n').slice(-3).join(' / ')
    const sudo = this.options.sudo && /sudo:/.test(run.stderr) ? ' (sudo -n needs a NOPASSWD rule for this user on the host)' : ''
    throw new NodeProviderError(`${doing} ${where} on ${member.name}'s host ${member.host} failed (exit code ${run.status})${said === '' ? '' : `: ${said}`}${sudo}`, member.name, '', run.stderr)
  }

  private foreignDataDir(member: MemberSpec, dataDir: string): NodeProviderError {
    return new NodeProviderError(`the data dir ${dataDir} of ${member.name} on ${member.host} already exists and was not restored by etcdplan: move it aside (never delete a data dir you have not checked), then apply again`, member.name, '')
  }

  /** What the script needs to find this member's etcd: run dir, config file, name, peer address, peer and client ports. */
  private identity(member: MemberSpec, configPath = member.configFile): string[] {
    const peer = new URL(member.peerURL)
    const client = new URL(member.clientURL)
    const host = peer.hostname.replace(/^\[(.*)\]$/, '$1')
    return [this.runDir(member), this.path(configPath, member), member.name, isIP(host) === 0 ? '' : host, portOf(peer), portOf(client)]
  }

  /** A host path, `{name}` filled in (a default taken from nodes.ssh may still carry it). */
  private path(path: string, member: MemberSpec): string {
    return fillTemplate(path, member.name)
  }
}

function portOf(url: URL): string {
  return url.port || (url.protocol === 'https:' ? '443' : '80')
}

function octal(mode: number): string {
  return `0${(mode & 0o7777).toString(8)}`
}

