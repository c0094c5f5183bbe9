// The narrow interface through which the applier's executors change and read a cluster: the
// membership calls, leadership, snapshots and a key count, each sent to one chosen member's client
// URL. Etcd3ClusterClient carries them out with one etcd3 client per endpoint (etcd-endpoints.ts,
// with the library's retries off and a deadline on every call); unit tests of the executors use fakes.
import type {EtcdEndpoints} from './etcd-endpoints.js'
import type {EndpointStatus} from './live-cluster.js'
import {statusAt} from './observe-cluster.js'
import {STATUS_TIMEOUT_MS} from './observe-spec-cluster.js'
import {saveSnapshot, type SavedSnapshotFile} from './snapshot-file.js'

export interface KVHash {
  /** etcd's crc32 of the keys' revisions up to `revision` (unsigned). */
  readonly hash: number
  /** The member's compaction revision when the hash began: two hashes compare only with the same one. */
  readonly compactRevision: number
  /** The member's current revision (the response header). */
  readonly headerRevision: number
}

export interface ClusterClient {
  /** `member add`; resolves with the new member's decimal ID. Never retried blindly: a lost reply is resolved by observing. */
  addMember(endpoint: string, peerURL: string, isLearner: boolean): Promise<{readonly id: string}>
  /** `member promote` (forwarded to the leader by etcd). */
  promoteMember(endpoint: string, id: string): Promise<void>
  removeMember(endpoint: string, id: string): Promise<void>
  /** MoveLeader: `endpoint` must be the leader's (`etcdserver: not leader` otherwise). */
  moveLeader(endpoint: string, targetId: string): Promise<void>
  /** Streams the member's snapshot to `path` on the apply machine; resolves with its size and the sha256 of what was written. */
  saveSnapshot(endpoint: string, path: string): Promise<SavedSnapshotFile>
  /**
   * Maintenance.HashKV at `revision`: the member's hash of every key revision up to it (etcd's
   * consistency check between members; etcd-facts.md, "Snapshot" says when two clusters compare).
   */
  hashKV(endpoint: string, revision: number): Promise<KVHash>
  /** The number of keys the member holds (a serializable count at its revision). */
  countKeys(endpoint: string): Promise<number>
  /** The member's own Status at `endpoint` (answered without quorum); `error` says why it did not answer. */
  status(endpoint: string): Promise<EndpointStatus>
}

export class Etcd3ClusterClient implements ClusterClient {
  constructor(private readonly endpoints: EtcdEndpoints) {}

  async addMember(endpoint: string, peerURL: string, isLearner: boolean): Promise<{readonly id: string}> {
    const response = await this.endpoints.get(endpoint).cluster.memberAdd({peerURLs: [peerURL], isLearner})
    return {id: response.member.ID}
  }

  async promoteMember(endpoint: string, id: string): Promise<void> {
    await this.endpoints.get(endpoint).cluster.memberPromote({ID: id})
  }

  async removeMember(endpoint: string, id: string): Promise<void> {
    await this.endpoints.get(endpoint).cluster.memberRemove({ID: id})
  }

  async moveLeader(endpoint: string, targetId: string): Promise<void> {
    await this.endpoints.get(endpoint).maintenance.moveLeader({targetID: targetId})
  }

  saveSnapshot(endpoint: string, path: string): Promise<SavedSnapshotFile> {
    return saveSnapshot(this.endpoints.get(endpoint), path)
  }

  async hashKV(endpoint: string, revision: number): Promise<KVHash> {
    // etcd3 1.1.2's maintenance.hashKV() calls a method grpc-js names `hashKv` (etcd-facts.md, "The
    // etcd3 npm client"): the pool's exec reaches it under that name, with the client's deadline.
    const pool = (this.endpoints.get(endpoint).maintenance as unknown as {client: {exec(service: string, method: string, payload: unknown): Promise<unknown>}}).client
    const response = (await pool.exec('Maintenance', 'hashKv', {revision: String(revision)})) as {hash: string | number; compact_revision: string | number; header: {revision: string | number}}
    return {hash: Number(response.hash), compactRevision: Number(response.compact_revision), headerRevision: Number(response.header.revision)}
  }

  async countKeys(endpoint: string): Promise<number> {
    return Number(await this.endpoints.get(endpoint).getAll().count())
  }

  status(endpoint: string): Promise<EndpointStatus> {
    return statusAt(this.endpoints, endpoint, {statusTimeoutMs: STATUS_TIMEOUT_MS})
  }
}
