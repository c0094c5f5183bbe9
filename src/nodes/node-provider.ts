// How etcdplan acts on a member's host: write its config, start, stop and restart etcd, restore a
// snapshot into a fresh data dir. `local` (processes on this machine) is the embedded default; ssh,
// exec and manual providers implement the same interface. Providers never talk to the etcd API:
// whether a member has joined or caught up is the applier's business (src/apply), observed through
// src/cluster.
import type {MemberSpec} from '../spec/types.js'

export interface RestoreRequest {
  readonly snapshotPath: string
  readonly dataDir: string
  readonly initialCluster: string
  readonly initialClusterToken: string
  readonly peerURL: string
}

export interface NodeProvider {
  /** Writes the member's etcd --config-file (creating its directory), atomically. */
  writeConfig(member: MemberSpec, path: string, content: string): Promise<void>
  /** Reads the config file back; null when it does not exist. */
  readConfig(member: MemberSpec, path: string): Promise<string | null>
  /** Starts etcd with --config-file; resolves once the process runs, rejects with the log tail if it exits at once. */
  start(member: MemberSpec, configPath: string): Promise<void>
  /** Stops etcd and confirms the process is gone within the deadline (then kills it). */
  stop(member: MemberSpec, timeoutMs: number): Promise<void>
  /** Stops etcd (within the deadline) and starts it again with --config-file. */
  restart(member: MemberSpec, configPath: string, timeoutMs: number): Promise<void>
  /** Waits for a member to exit by itself (a removed member shuts down); false when it still runs at the deadline. */
  awaitExit(member: MemberSpec, timeoutMs: number): Promise<boolean>
  /** Whether this provider runs etcd for the member now. */
  isRunning(member: MemberSpec): Promise<boolean>
  /**
   * Restores a snapshot into the member's data dir, without starting it. 'already-restored' when the
   * data dir holds a restore this provider completed earlier; a data dir it did not restore is refused.
   */
  restore(member: MemberSpec, request: RestoreRequest): Promise<'restored' | 'already-restored'>
  /** The last lines of the member's log, for failure messages. */
  logTail(member: MemberSpec, lines: number): Promise<string>
  /**
   * What the member's data dir holds, so that a member the cluster has never seen started is not
   * started on someone else's data (etcd would run under that data's identity, or another cluster's).
   */
  inspectDataDir(member: MemberSpec): Promise<DataDirContents>
}

export interface DataDirContents {
  /** Where it looked (as the provider names it). */
  readonly path: string
  /** Whether anything is at the path. */
  readonly exists: boolean
  /** false when what is at the path is not a directory (then etcd cannot use it either). */
  readonly isDirectory: boolean
  /** The data dir's entries, sorted; empty when it does not exist or is empty. */
  readonly entries: readonly string[]
  /** The etcd member and cluster IDs (decimal) recorded in its write-ahead log, when it holds one that can be read. */
  readonly wal: {readonly memberId: string; readonly clusterId: string} | null
}

/** A member's process could not be started or stopped; carries the log tail to show. */
export class NodeProviderError extends Error {
  constructor(message: string, readonly member: string, readonly logTail: string) {
    super(message)
  }
}
