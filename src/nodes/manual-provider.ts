// The `manual` node provider (nodes.manual: {}), for teams that may not let a tool touch their
// hosts: etcdplan runs nothing on a member's host. Each node operation (write a config, start, stop,
// restart, restore) answers OperatorActionNeeded with the exact commands to run there and every file
// in full; apply stops with exit code 3 and those instructions, and `apply PLAN --confirm STEP_ID`
// continues: the confirmed step counts its host action as done (onHost, src/apply/step-context.ts).
// Instructions are POSIX shell, every path and value single-quoted, between ```sh fences, so that
// they can be pasted as they are.
//
// What manual guarantees, and what it cannot:
// - Everything that can be observed is verified by the step after a confirmation, through the
//   cluster, so a confirmation that is not true is caught before the next step: a confirmed start
//   must be followed by the member publishing its name and answering at its client URL; a confirmed
//   stop by the member no longer answering at its client URL; a confirmed restart by the member being
//   healthy and caught up (a restart that did not happen cannot be told from one that did: etcd
//   answers the same).
// - A written config cannot be observed (readConfig is NotObservableError): the instructions say so,
//   and the start that follows shows it. Nor can a data dir (inspectDataDir: the start gate relies on
//   the cluster's view of the member), the host (probeHost: the preflight warns that the binary,
//   ports and files were not checked), whether etcd runs (isRunning, awaitExit: the steps judge by the
//   member's client URL), or a copied file (putFile). A snapshot is checked on the apply machine with
//   the local tool (snapshot-status-here.ts), and the restore instructions check the copy by sha256.
// - logTail is '' (no log can be read): etcd's reasons for a failed start are on the host only.
import {randomBytes} from 'node:crypto'
import {basename, dirname} from 'node:path'
import type {LocalNodes, MemberSpec} from '../spec/types.js'
import {checksumUnlessKnown} from './checksum-file.js'
import type {DataDirContents, FenceResult, HostFile, HostProbe, HostProbeRequest, HostSnapshotStatus, NodeProvider, PutFileRequest, PutFileResult, RestoreRequest} from './node-provider.js'
import {FENCED_SUFFIX} from './fenced-path.js'
import {NotObservableError} from './not-observable.js'
import {OperatorActionNeeded} from './operator-action.js'
import {RESTORE_STAGING_SUFFIX} from './restore-staging.js'
import {snapshotStatusHere} from './snapshot-status-here.js'

/** A value quoted for a POSIX shell: single quotes, each `'` inside written as `'\''`. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`
}

/** A here-document delimiter that is no line of `content`. */
function heredocDelimiter(content: string): string {
  const lines = new Set(content.split('\n'))
  let delimiter = 'ETCDPLAN_EOF'
  for (let n = 2; lines.has(delimiter); n++) delimiter = `ETCDPLAN_EOF_${n}`
  return delimiter
}

/** Where the operator's commands keep the member's etcd log and pid: beside its data dir. */
export function manualLogFile(member: MemberSpec): string {
  return `${member.dataDir}.log`
}

export function manualPidFile(member: MemberSpec): string {
  return `${member.dataDir}.pid`
}

function where(member: MemberSpec): string {
  return `On ${member.name}'s host (${member.host}), as the user etcd runs as`
}

function block(lines: readonly string[]): string {
  return ['```sh', ...lines, '```'].join('\n')
}

/**
 * Instructions that copy files from the apply machine to the member's host (cluster.distribute's
 * certificates): each one with scp, installed with its mode as the user etcd runs as, its sha256
 * checked there. Paths and checksums only: the files' content is never in the instructions.
 */
export function copyFilesInstructions(member: MemberSpec, files: readonly {from: string; to: string; sha256: string}[], mode: number): string {
  const octal = `0${mode.toString(8)}`
  return [
    `${where(member)}, make their directories:`,
    block([`mkdir -p ${[...new Set(files.map((f) => shellQuote(dirname(f.to))))].join(' ')}`]),
    `From the apply machine, copy them there (scp keeps the source's mode: a key stays private):`,
    block(files.map((f) => `scp ${shellQuote(f.from)} ${shellQuote(`${member.host}:${f.to}.copy`)}`)),
    `${where(member)}, install each with mode ${octal} and check it:`,
    block(files.flatMap((f) => [`install -D -m ${octal} ${shellQuote(`${f.to}.copy`)} ${shellQuote(f.to)} && rm -f ${shellQuote(`${f.to}.copy`)}`, `echo ${shellQuote(`${f.sha256}  ${f.to}`)} | sha256sum -c -`])),
  ].join('\n')
}

/** Instructions that write the config file: its directory, then the content in full through a quoted here-document, mode 0600. */
export function writeConfigInstructions(member: MemberSpec, path: string, content: string): string {
  const text = content.endsWith('\n') ? content : `${content}\n`
  const eof = heredocDelimiter(text)
  return [
    `${where(member)}, write ${member.name}'s etcd config file ${path} with exactly this content (mode 0600: it may name key files):`,
    block([`mkdir -p ${shellQuote(dirname(path))}`, `install -m 0600 /dev/stdin ${shellQuote(path)} <<'${eof}'`, `${text}${eof}`]),
    `etcdplan cannot check this file (nodes.provider manual); the next step's start will show it.`,
  ].join('\n')
}

function startLines(member: MemberSpec, configPath: string): string[] {
  const etcd = member.etcd ?? 'etcd'
  return [
    `mkdir -p ${shellQuote(dirname(member.dataDir))}`,
    `nohup ${shellQuote(etcd)} --config-file ${shellQuote(configPath)} >>${shellQuote(manualLogFile(member))} 2>&1 </dev/null &`,
    `echo $! >${shellQuote(manualPidFile(member))}`,
  ]
}

function stopLines(member: MemberSpec): string[] {
  const pid = shellQuote(manualPidFile(member))
  return [`kill "$(cat ${pid})"`, `while kill -0 "$(cat ${pid})" 2>/dev/null; do sleep 0.2; done`, `rm -f ${pid}`]
}

const SUPERVISOR = 'Under a process supervisor (a systemd unit, runit, ...) run the same etcd command line instead; etcd must outlive your shell.'

export function startInstructions(member: MemberSpec, configPath: string): string {
  return [
    `${where(member)}, start etcd for ${member.name} with its config file ${configPath} (its log goes to ${manualLogFile(member)}, its pid to ${manualPidFile(member)}):`,
    block(startLines(member, configPath)),
    SUPERVISOR,
    `After the confirmation etcdplan checks that ${member.name} publishes its name and answers at ${member.clientURL}.`,
  ].join('\n')
}

export function stopInstructions(member: MemberSpec): string {
  return [
    `${where(member)}, stop etcd for ${member.name} and keep its data dir ${member.dataDir} (it must never rejoin a cluster under its old identity). If it was started with the commands etcdplan printed (pid in ${manualPidFile(member)}):`,
    block(stopLines(member)),
    `If a supervisor runs it, stop it there instead (e.g. \`systemctl stop\` its unit, and disable it).`,
    `After the confirmation etcdplan checks that ${member.name} no longer answers at ${member.clientURL}.`,
  ].join('\n')
}

export function restartInstructions(member: MemberSpec, configPath: string): string {
  return [
    `${where(member)}, restart etcd for ${member.name} so that it reads its rewritten config file ${configPath} (stop it, wait until it is gone, start it again):`,
    block([...stopLines(member), ...startLines(member, configPath)]),
    `If a supervisor runs it, restart it there instead (e.g. \`systemctl restart\` its unit).`,
    `After the confirmation etcdplan waits for ${member.name} to be healthy and caught up; it cannot tell whether etcd was really restarted (it answers the same), so confirm only once you have restarted it.`,
  ].join('\n')
}

/**
 * Instructions that restore a snapshot beside the data dir and move it into place. The staging dir
 * has a name of its own for every rendering, `<dataDir>.restoring-<8 hex>` (restore-staging.ts: a
 * restore interrupted earlier may still be writing into its own), and the staging dirs of earlier
 * attempts are removed first (`find`, not a glob: zsh refuses a glob that matches nothing).
 */
export function restoreInstructions(member: MemberSpec, request: RestoreRequest, sha256: string, stagingSuffix: string = randomBytes(4).toString('hex')): string {
  const snapshot = shellQuote(request.snapshotPath)
  const staging = shellQuote(`${request.dataDir}${RESTORE_STAGING_SUFFIX}-${stagingSuffix}`)
  const dataDir = shellQuote(request.dataDir)
  const parent = shellQuote(dirname(request.dataDir))
  const stagingPattern = `${findNamePattern(basename(request.dataDir))}${RESTORE_STAGING_SUFFIX}`
  const flags = `--name ${shellQuote(member.name)} --initial-cluster ${shellQuote(request.initialCluster)} --initial-cluster-token ${shellQuote(request.initialClusterToken)} --initial-advertise-peer-urls ${shellQuote(request.peerURL)} --data-dir ${staging}`
  const local = request.localSnapshotPath ?? request.snapshotPath
  return [
    `Copy the snapshot ${local} from the apply machine to ${request.snapshotPath} on ${member.name}'s host (${member.host}), e.g. \`scp ${shellQuote(local)} ${shellQuote(`${member.host}:${request.snapshotPath}`)}\`.`,
    `${where(member)}, check the copy, remove what earlier attempts left beside the data dir, restore it there and move it into place (${request.dataDir} must not exist yet; with etcd 3.5 or later use \`etcdutl snapshot restore\` with the same flags instead of \`ETCDCTL_API=3 etcdctl\`):`,
    block([
      `echo ${shellQuote(`${sha256}  ${request.snapshotPath}`)} | sha256sum -c -`,
      `mkdir -p ${parent}`,
      `find ${parent} -mindepth 1 -maxdepth 1 \\( -name ${shellQuote(stagingPattern)} -o -name ${shellQuote(`${stagingPattern}-*`)} \\) -exec rm -rf {} +`,
      `ETCDCTL_API=3 ${shellQuote(etcdctlFor(member))} snapshot restore ${snapshot} ${flags}`,
      `test ! -e ${dataDir} && mv -T ${staging} ${dataDir}`,
    ]),
    `Do not start etcd yet: the start step tells when. etcdplan cannot check the data dir (nodes.provider manual); the start will show it.`,
  ].join('\n')
}

/** A file name as a `find -name` pattern that matches only itself (its `*`, `?`, `[` and `\\` escaped). */
function findNamePattern(name: string): string {
  return name.replace(/[*?[\\]/g, (c) => `\\${c}`)
}

/**
 * Instructions that fence a removed member: each path renamed beside itself to `<path>.removed-<UTC
 * time>` (the name every provider uses, fenced-path.ts), only when it is there, never deleted; a
 * supervisor's unit disabled. `mv -n`, and the test first, so that running them twice moves nothing twice.
 */
export function fenceInstructions(member: MemberSpec, paths: readonly string[]): string {
  return [
    `${where(member)}, move ${member.name}'s files aside (never delete them): a restart by a supervisor or by hand then finds no config and cannot rejoin or bootstrap a cluster under its old identity. etcd must not run for ${member.name}.`,
    block([`stamp=$(date -u +%Y%m%dT%H%M%SZ)`, ...paths.map((p) => `if [ -e ${shellQuote(p)} ]; then mv -n -T ${shellQuote(p)} ${shellQuote(`${p}${FENCED_SUFFIX}`)}"$stamp"; fi`)]),
    `If a supervisor runs ${member.name}'s etcd (a systemd unit, runit, ...), disable it there too (e.g. \`systemctl disable\` its unit).`,
    `etcdplan cannot check the host (nodes.provider manual): it checks only that ${member.name} does not answer at ${member.clientURL}.`,
  ].join('\n')
}

/** etcdctl beside the member's etcd binary when it names one, else from PATH. */
function etcdctlFor(member: MemberSpec): string {
  return member.etcd !== undefined && member.etcd.includes('/') ? `${dirname(member.etcd)}/etcdctl` : 'etcdctl'
}

export class ManualNodeProvider implements Required<NodeProvider> {
  constructor(private readonly local: LocalNodes) {}

  async writeConfig(member: MemberSpec, path: string, content: string): Promise<void> {
    throw new OperatorActionNeeded('writeConfig', member.name, writeConfigInstructions(member, path, content))
  }

  async readConfig(member: MemberSpec, path: string): Promise<string | null> {
    throw this.unobservable(member, `the config file ${path}`)
  }

  async start(member: MemberSpec, configPath: string): Promise<void> {
    throw new OperatorActionNeeded('start', member.name, startInstructions(member, configPath))
  }

  async stop(member: MemberSpec, _timeoutMs: number): Promise<void> {
    throw new OperatorActionNeeded('stop', member.name, stopInstructions(member))
  }

  async restart(member: MemberSpec, configPath: string, _timeoutMs: number): Promise<void> {
    throw new OperatorActionNeeded('restart', member.name, restartInstructions(member, configPath))
  }

  async awaitExit(member: MemberSpec, _timeoutMs: number): Promise<boolean> {
    throw this.unobservable(member, 'whether its etcd runs')
  }

  async isRunning(member: MemberSpec): Promise<boolean> {
    throw this.unobservable(member, 'whether its etcd runs')
  }

  async putFile(member: MemberSpec, request: PutFileRequest): Promise<PutFileResult> {
    throw this.unobservable(member, `a copy of ${request.localPath} at ${request.remotePath}`)
  }

  async snapshotStatus(member: MemberSpec, path: string): Promise<HostSnapshotStatus> {
    return snapshotStatusHere(member.name, path, this.local.etcd, 'manual')
  }

  async restore(member: MemberSpec, request: RestoreRequest): Promise<'restored' | 'already-restored'> {
    const checksum = await checksumUnlessKnown(request.localSnapshotPath ?? request.snapshotPath, request.sha256).catch(() => null)
    const sha256 = checksum?.sha256 ?? '(the snapshot cannot be read on the apply machine)'
    throw new OperatorActionNeeded('restore', member.name, restoreInstructions(member, request, sha256), 'restored')
  }

  async logTail(_member: MemberSpec, _lines: number): Promise<string> {
    return ''
  }

  async moveDataDirAside(member: MemberSpec): Promise<string | null> {
    throw this.unobservable(member, `the data dir ${member.dataDir}`)
  }

  async fenceMember(member: MemberSpec, paths: readonly string[]): Promise<FenceResult> {
    // Confirmed: the operator moved them; where exactly (the stamp) is on the host only.
    throw new OperatorActionNeeded('fence', member.name, fenceInstructions(member, paths), {paths: paths.map((path) => ({path, movedTo: `${path}${FENCED_SUFFIX}<time>`, earlier: false})), disabledUnit: null} satisfies FenceResult)
  }

  async inspectDataDir(member: MemberSpec): Promise<DataDirContents> {
    throw this.unobservable(member, `the data dir ${member.dataDir}`)
  }

  async probeHost(member: MemberSpec, _request: HostProbeRequest): Promise<HostProbe> {
    throw this.unobservable(member, 'the etcd binary, the ports and the files etcd needs')
  }

  async readHostFiles(member: MemberSpec, _paths: readonly string[]): Promise<HostFile[]> {
    throw this.unobservable(member, 'the certificate files')
  }

  async receivingSnapshotBytes(member: MemberSpec): Promise<number | null> {
    throw this.unobservable(member, 'the snapshot it is receiving')
  }

  async close(): Promise<void> {}

  private unobservable(member: MemberSpec, what: string): NotObservableError {
    return new NotObservableError(member.name, what, 'manual', 'it runs nothing on the hosts')
  }
}
