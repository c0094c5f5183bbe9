// How etcdplan acts on a member's host: write its config, start, stop and restart etcd, put a file
// there, check and restore a snapshot, look into its data dir. `local` (processes on this machine) is
// the embedded default; ssh, exec and manual providers implement the same interface, so everything
// that touches a member's machine goes through it — nothing in src/apply reads or runs anything on a
// host by itself. Providers never talk to the etcd API: whether a member has joined or caught up is
// the applier's business (src/apply), observed through src/cluster.
//
// What every method must guarantee, whichever host it acts on:
// - Idempotence: the applier calls a method again after a lost reply, a kill or a resumed apply, and
//   the second call must be harmless (do nothing, or the same thing again) and answer truthfully.
// - Errors: a NodeProviderError is a failure the operator must fix on the host (a port in use, a
//   data dir in the way, a file that does not verify, a host that refuses); its message says what
//   and where, `logTail` and `stderr` carry what the host said. The apply stops at the step and a
//   rerun resumes there. Any other rejection is treated as unexpected (reported, then resumable too).
// - Paths are the host's: a member's dataDir, configFile and every `remotePath` name files on the
//   member's machine; `localPath`s name files on the machine that runs the apply.
//
// putFile, snapshotStatus and close are optional in the type only for now, so that the test fakes
// written before them still compile; every provider that ships implements all three (the local one
// is checked against Required<NodeProvider>), and the `?` goes once the executors call them.
import type {MemberSpec} from '../spec/types.js'
import type {WalIdentity} from './read-wal-identity.js'

export interface RestoreRequest {
  /** Where the snapshot is (or is put) on the member's host, and what `snapshot restore` reads. */
  readonly snapshotPath: string
  /**
   * Where the snapshot is on the apply machine; the provider puts it at `snapshotPath` on the host
   * (putFile, checked by sha256) before it restores. Left out, the snapshot is taken to be at
   * `snapshotPath` on the host already (the executors of this version; the local provider, where
   * both machines are one). Equal to `snapshotPath` for the local provider: then only the checksum.
   */
  readonly localSnapshotPath?: string
  /** The snapshot's sha256 when it is known (journaled by snapshot-save): the apply machine's copy is then not read to learn it. */
  readonly sha256?: string
  readonly dataDir: string
  readonly initialCluster: string
  readonly initialClusterToken: string
  readonly peerURL: string
}

export interface PutFileRequest {
  /** The file on the apply machine. */
  readonly localPath: string
  /** Where it goes on the member's host (its directory is created). */
  readonly remotePath: string
  /** The file's permission bits when it is written; 0o600 when left out (a snapshot holds every key). */
  readonly mode?: number
  /**
   * The local file's sha256 when the caller knows it (a snapshot's, computed at its save): the local
   * file is not read to learn it, and the copy on the host is checked against it.
   */
  readonly sha256?: string
}

export interface PutFileResult {
  /** false when the host already had a file with this checksum at remotePath (nothing was written). */
  readonly copied: boolean
  /** sha256 (hex) of the file, the same on both machines. */
  readonly sha256: string
  readonly bytes: number
}

/** What `snapshot status -w json` says of a snapshot file (etcd-facts.md, "Snapshot"). */
export interface SnapshotStatus {
  readonly hash: number
  readonly revision: number
  /** Entries in every bucket of the snapshot's database (etcd counts its own bookkeeping too, not only keys). */
  readonly totalKey: number
  readonly totalSize: number
}

/** The status and the tool that checked it: etcdutl on 3.5+, etcdctl on 3.4 (etcd-facts.md, "Versions"). */
export interface HostSnapshotStatus extends SnapshotStatus {
  readonly tool: 'etcdutl' | 'etcdctl'
}

export interface NodeProvider {
  /**
   * Writes the member's etcd --config-file on its host (creating its directory), atomically: a
   * reader or a crash sees the old content or the new, never part of it (temp file, fsync, rename).
   * Writing the same content again is harmless.
   */
  writeConfig(member: MemberSpec, path: string, content: string): Promise<void>
  /** Reads the config file back from the host; null when it does not exist (and only then). */
  readConfig(member: MemberSpec, path: string): Promise<string | null>
  /**
   * Starts etcd with --config-file on the host, detached from the apply (it must outlive it);
   * resolves once the process runs, rejects with a NodeProviderError carrying the log tail if it
   * exits at once. Does nothing when this member's etcd already runs: never a second etcd on the
   * same ports and data dir. Right before etcd runs, appends a start mark to the member's log
   * (startMarkLine, src/nodes/start-mark.ts), so that the applier judges a start by its own lines
   * when the log keeps those of earlier starts.
   */
  start(member: MemberSpec, configPath: string): Promise<void>
  /** Stops etcd and confirms the process is gone within the deadline (then kills it). Stopping a stopped member does nothing. */
  stop(member: MemberSpec, timeoutMs: number): Promise<void>
  /** Stops etcd (within the deadline) and starts it again with --config-file; starts it when it was not running. */
  restart(member: MemberSpec, configPath: string, timeoutMs: number): Promise<void>
  /** Waits for a member to exit by itself (a removed member shuts down); false when it still runs at the deadline. */
  awaitExit(member: MemberSpec, timeoutMs: number): Promise<boolean>
  /** Whether this member's etcd runs on its host now (found even when the provider's own record of it was lost). */
  isRunning(member: MemberSpec): Promise<boolean>
  /**
   * Copies a file from the apply machine to the member's host: written under a temp name beside
   * `remotePath`, its sha256 checked against the local file's, then renamed into place, so
   * `remotePath` never holds a partial or corrupt copy. Idempotent: when `remotePath` already has
   * the local file's checksum nothing is written (`copied: false`); when it holds anything else it
   * is replaced. A copy whose checksum differs from the local file's is a NodeProviderError naming
   * both paths (and nothing is left at `remotePath` from it). When both paths are the same file
   * (the local provider), only the checksum is taken.
   */
  putFile(member: MemberSpec, request: PutFileRequest): Promise<PutFileResult>
  /**
   * Checks a snapshot file ON THE MEMBER'S HOST with the snapshot tool of the member's etcd release:
   * `etcdutl snapshot status PATH -w json` when etcdutl is beside its etcd binary (3.5+), otherwise
   * `etcdctl snapshot status PATH -w json` (3.4) — etcd-facts.md, "Versions". The tool opens the
   * database and runs bolt's consistency check over its pages, so a file that is missing, cut short
   * or corrupt is refused: a NodeProviderError whose message has the tool's error and whose `stderr`
   * is all it printed. It does not check the sha256 that a saved snapshot ends with (etcdctl 3.4.23
   * passes a snapshot without it); restore does. Reads only: always safe to repeat.
   */
  snapshotStatus(member: MemberSpec, path: string): Promise<HostSnapshotStatus>
  /**
   * Restores a snapshot into the member's data dir on its host, without starting etcd. When
   * `localSnapshotPath` is given the snapshot is first put at `snapshotPath` (putFile: copied only
   * if the host's copy differs, checked by sha256). Restored with `etcdutl snapshot restore` when
   * etcdutl is beside the member's etcd binary, else `etcdctl snapshot restore` (etcd-facts.md,
   * "Snapshot" and "Versions"); both check the sha256 that a saved snapshot ends with and refuse a
   * file without it (etcdctl 3.4: `snapshot missing hash but --skip-hash-check=false`), which is a
   * NodeProviderError carrying the tool's stderr.
   * Atomic: restored beside the data dir into a staging dir of the attempt's own, after removing
   * those killed attempts left (restore-staging.ts: a killed apply's `snapshot restore` may still be
   * writing into its own), marked complete, then renamed into place, never over a data dir that
   * appeared meanwhile. Idempotent: 'already-restored' when the data dir holds a restore this provider
   * completed earlier (its mark) or that another attempt finished first, whether or not the snapshot
   * is still there; a data dir it did not restore is a NodeProviderError and is never touched.
   */
  restore(member: MemberSpec, request: RestoreRequest): Promise<'restored' | 'already-restored'>
  /**
   * The last lines of the member's etcd log on its host, start marks included, for failure messages
   * and for the applier to read why a start fails while it waits (about once a second); '' when there
   * is none. Reads only.
   */
  logTail(member: MemberSpec, lines: number): Promise<string>
  /**
   * Moves the member's data dir aside on its host, never deleting anything: renamed beside itself to
   * `<dataDir>.failed-start-<UTC yyyymmddThhmmssZ>` (a `-2`, `-3`, ... is added when that name is
   * taken), and resolves to the new path. The applier calls it only for what a failed first start of
   * etcd leaves (member/snap/db, empty dirs, no WAL) in the data dir of a member the cluster lists as
   * never started, so that the next start joins afresh (etcd-facts.md, "Why a member does not
   * start"); a separate wal-dir then holds nothing and is left alone. Idempotent: null when there is
   * no data dir (it was moved already).
   */
  moveDataDirAside(member: MemberSpec): Promise<string | null>
  /**
   * Fences a member that left its cluster: moves each of `paths` (its config file, and with join its
   * data dir and a separate wal-dir) aside on its host, never deleting anything — renamed beside
   * itself to `<path>.removed-<UTC yyyymmddThhmmssZ>` (fencedPath, src/nodes/fenced-path.ts; `-2`,
   * `-3`, ... when taken) — so that `etcd --config-file <config>` started by a supervisor or a person
   * finds no config and no data and starts nothing (docs/etcd-facts.md, "Removed members"). With a
   * systemd unit (ssh, service: systemd) the unit is also disabled, so that boot does not start it.
   * Only called for a member that no longer runs and is out of the membership (the step checks).
   * Idempotent: a path that is gone and has a `<path>.removed-*` beside it is reported as moved
   * earlier (the newest such name), a path with neither as `movedTo: null`. Results in the order asked.
   */
  fenceMember(member: MemberSpec, paths: readonly string[]): Promise<FenceResult>
  /**
   * What the member's data dir holds on its host, so that a member the cluster has never seen
   * started is not started on someone else's data (etcd would run under that data's identity, or
   * another cluster's). Reads only. The WAL identity comes from the first WAL file of the member's
   * wal dir (walDirOf): a remote provider fetches that file's first WAL_HEAD_BYTES and parses them
   * with readWalIdentity (src/nodes/read-wal-identity.ts), as the local provider does.
   */
  inspectDataDir(member: MemberSpec): Promise<DataDirContents>
  /**
   * What the member's host offers the etcd this provider would start there, so that everything that
   * would make a new member fail to start is found before it is added (the preflight), not after
   * (a member added but unable to start holds the cluster's single learner slot, or counts towards
   * quorum without voting). Reads only: it changes nothing on the host, and is always safe to repeat.
   * - `binary`: the etcd binary the provider runs for this member (nodes.local.etcd for the local
   *   provider; whatever an ssh or exec provider would run), and the version of its `etcd --version`
   *   (first line `etcd Version: X.Y.Z`); an error when it is not found, not executable, or answers
   *   something else (the version skew rule needs the version: etcd-facts.md, "Versions").
   * - `listen`: for each URL asked (the config's listen-*-urls), whether its exact host and port can
   *   be bound on the host now: 'free' when a listener could be opened there (and closed again at
   *   once), 'in-use' when something else listens there (EADDRINUSE: etcd would exit at once with
   *   `address already in use`), otherwise the error the host gave (an address the host does not
   *   have, permission denied, ...).
   * - `files`: for each path asked (every `*-file` the member's config names), whether etcd could
   *   open it for reading on the host: null when it can, else why not ("no such file", "permission
   *   denied", "it is a directory"). Relative paths are resolved as etcd would resolve them (from the
   *   directory the provider starts etcd in).
   * Results come back in the order asked, one per URL and path.
   */
  probeHost(member: MemberSpec, request: HostProbeRequest): Promise<HostProbe>
  /**
   * Reads files on the member's host as etcd will (the same user: sudo when the provider uses it),
   * for the preflight's certificate checks (src/tls): certificates, CA bundles and private keys. The
   * text stays in memory: a provider never logs it, never puts it in an error and never writes it
   * anywhere. A file that cannot be read is `{path, error}` ("no such file", "permission denied", "it
   * is a directory", "larger than 1 MiB"). Reads only; results in the order asked. A provider that
   * cannot read host files (exec, manual) throws NotObservableError: the checks say NOT CHECKED.
   */
  readHostFiles(member: MemberSpec, paths: readonly string[]): Promise<HostFile[]>
  /**
   * How many bytes of the leader's snapshot a joining member has received so far, or null when it is
   * receiving none. A member too far behind for the leader's raft log gets the whole database as a
   * snapshot over its peer connection; etcd writes it to a temp file in `<data-dir>/member/snap`
   * (named `tmp…`, SNAPSHOT_TEMP_PREFIX) and only then swaps it in as its DB, answering no Status
   * until it has (docs/etcd-facts.md, "Catch-up"). The file's size is the only progress there is to
   * show during the longest part of a large catch-up. Reads only. exec and manual throw
   * NotObservableError: their catch-up shows raft entries only.
   */
  receivingSnapshotBytes(member: MemberSpec): Promise<number | null>
  /**
   * Releases what the provider holds for this apply (connections, sessions, temp files on the apply
   * machine); the local provider holds nothing. Called exactly once at the end of every apply, however
   * it ends (done, stopped, failed), after the last call of any other method. Must not stop etcd:
   * members outlive the apply. Never rejects for a connection that is already gone.
   */
  close(): Promise<void>
}

/** Where one path of a fenced member is now. */
export interface FencedPath {
  readonly path: string
  /** Its moved-aside name: moved there by this call, or by an earlier one (`earlier`); null when nothing is at the path nor beside it. */
  readonly movedTo: string | null
  readonly earlier: boolean
}

export interface FenceResult {
  readonly paths: readonly FencedPath[]
  /** The systemd unit disabled on the host (ssh, service: systemd); null when there is none. */
  readonly disabledUnit: string | null
}

export interface HostProbeRequest {
  /** Paths on the member's host that etcd will read (certificates, keys, CA bundles). */
  readonly files: readonly string[]
  /** URLs etcd will listen on (listen-peer-urls, listen-client-urls, ...). */
  readonly listen: readonly string[]
}

/** The etcd binary the provider would run: its version, or why it cannot be used. */
export type EtcdBinaryProbe =
  | {readonly path: string; readonly version: string; readonly error: null}
  | {readonly path: string; readonly version: null; readonly error: string}

export interface ListenProbe {
  readonly url: string
  /** `host:port` as etcd would bind it. */
  readonly address: string
  readonly state: 'free' | 'in-use' | 'error'
  /** Why it could not be bound, for 'in-use' and 'error'; null when free. */
  readonly error: string | null
}

export interface FileProbe {
  readonly path: string
  /** null when the file can be opened for reading; else why not. */
  readonly error: string | null
}

/** A file read on a member's host: its text, or why it could not be read. */
export type HostFile = {readonly path: string; readonly text: string} | {readonly path: string; readonly error: string}

/** The name etcd gives the file it receives a leader's snapshot into, in `<data-dir>/member/snap` (server/etcdserver/api/snap/db.go, SaveDBFrom: os.CreateTemp(dir, "tmp")). */
export const SNAPSHOT_TEMP_PREFIX = 'tmp'

/** readHostFiles refuses a file larger than this: no certificate, key or CA bundle is. */
export const HOST_FILE_MAX_BYTES = 1 << 20

export interface HostProbe {
  readonly binary: EtcdBinaryProbe
  readonly listen: readonly ListenProbe[]
  readonly files: readonly FileProbe[]
}

/**
 * The file every provider leaves in a data dir it restored, renamed into place with it: a data dir
 * holding it is a restore etcdplan completed (restore answers 'already-restored'), any other
 * non-empty data dir is not etcdplan's to restore into.
 */
export const RESTORED_MARK = 'restored-by-etcdplan'

export interface DataDirContents {
  /** Where it looked (as the provider names it). */
  readonly path: string
  /** Whether anything is at the path. */
  readonly exists: boolean
  /** false when what is at the path is not a directory (then etcd cannot use it either). */
  readonly isDirectory: boolean
  /** The data dir's entries, sorted; empty when it does not exist or is empty. */
  readonly entries: readonly string[]
  /** The etcd member and cluster IDs (decimal) recorded in its write-ahead log, when it holds one that can be read (readWalIdentity). */
  readonly wal: WalIdentity | null
  /**
   * What is below the data dir that is not a directory (files, links), as paths relative to it with
   * `/`, sorted; at most DATA_DIR_FILES_LISTED of them. Tells what a failed first start left
   * (`member/snap/db` alone) from someone's data.
   */
  readonly files: readonly string[]
  /** The entries of the member's WAL dir (walDirOf: inside the data dir or its own wal-dir), sorted; empty when it is absent or empty. */
  readonly walDirEntries: readonly string[]
}

/** inspectDataDir lists no more files than this: enough to tell a failed start's debris from a member's data. */
export const DATA_DIR_FILES_LISTED = 100

/**
 * Something on a member's host failed in a way the operator must fix; carries what the host said:
 * the member's log tail, and the stderr of the tool that failed (snapshot status, restore).
 */
export class NodeProviderError extends Error {
  constructor(message: string, readonly member: string, readonly logTail: string, readonly stderr: string = '') {
    super(message)
  }
}
