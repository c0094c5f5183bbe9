// The member and cluster IDs a data dir's write-ahead log records, read from bytes: every WAL file
// starts with a CRC record, then the metadata record (etcd's wal/wal.go: metadataType = 1), whose
// data is an etcdserverpb.Metadata (1 NodeID, 2 ClusterID). Start-member uses it to refuse a data dir
// that belongs to another member or cluster (etcd-facts.md, "Starting a joining member": a data dir
// with member/wal is used as it is, initial-cluster* ignored). Pure, so that every provider uses the
// same reading: the local one reads the file, a remote one parses the bytes it fetched —
// `firstWalFile` of the listing of `walDirOf(member)`, its first WAL_HEAD_BYTES.
import {join} from 'node:path'
import type {MemberSpec} from '../spec/types.js'

export interface WalIdentity {
  /** Decimal, as etcd's uint64 IDs (the API's hex is the same number). */
  readonly memberId: string
  readonly clusterId: string
}

/** etcd's WAL record type of the metadata record (wal/wal.go: metadataType = 1). */
const WAL_METADATA_TYPE = 1n
/** Enough of the first WAL file for its first records (the metadata record comes second). */
export const WAL_HEAD_BYTES = 64 * 1024

/** The member's WAL directory on its host: its `wal-dir` config key, else etcd's default `<data-dir>/member/wal`. */
export function walDirOf(member: MemberSpec): string {
  const walDir = member.config['wal-dir']
  return typeof walDir === 'string' ? walDir : join(member.dataDir, 'member', 'wal')
}

/**
 * The WAL file to read from a listing of the WAL dir: the lowest `*.wal` (names are
 * `<seq>-<index>.wal` in fixed-width hex, so sorting the names sorts by sequence). Any WAL file
 * holds the metadata record, also after etcd purged the older ones. null when there is none.
 */
export function firstWalFile(names: readonly string[]): string | null {
  return names.filter((n) => n.endsWith('.wal')).sort()[0] ?? null
}

/**
 * The IDs in the metadata record of a WAL file's head. A WAL file is a sequence of frames: a
 * little-endian uint64 length (its top byte flags padding to 8 bytes) and a walpb.Record
 * (protobuf: 1 type, 2 crc, 3 data). null when the bytes are not (or not enough of) a WAL file.
 */
export function readWalIdentity(head: Uint8Array): WalIdentity | null {
  const bytes = Buffer.from(head.buffer, head.byteOffset, head.byteLength)
  let offset = 0
  // The metadata record comes within the first few frames.
  for (let frame = 0; frame < 4 && offset + 8 <= bytes.length; frame++) {
    const lenField = bytes.readBigUInt64LE(offset)
    offset += 8
    if (lenField === 0n) return null
    const size = Number(lenField & 0x00ffffffffffffffn)
    const flags = Number(lenField >> 56n)
    const padding = (flags & 0x80) !== 0 ? flags & 0x7 : 0
    if (offset + size > bytes.length) return null
    const record = protoFields(bytes.subarray(offset, offset + size))
    offset += size + padding
    if (record === null) return null
    if (record.varints.get(1) !== WAL_METADATA_TYPE) continue
    const data = record.bytes.get(3)
    const metadata = data === undefined ? null : protoFields(data)
    const memberId = metadata?.varints.get(1)
    const clusterId = metadata?.varints.get(2)
    if (memberId === undefined || clusterId === undefined) return null
    return {memberId: memberId.toString(), clusterId: clusterId.toString()}
  }
  return null
}

/** The varint and length-delimited fields of a protobuf message (by field number); null when it is not one. */
function protoFields(message: Buffer): {varints: Map<number, bigint>; bytes: Map<number, Buffer>} | null {
  const varints = new Map<number, bigint>()
  const bytes = new Map<number, Buffer>()
  let offset = 0
  const varint = (): bigint | null => {
    let value = 0n
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (offset >= message.length) return null
      const byte = message[offset++]!
      value |= BigInt(byte & 0x7f) << shift
      if ((byte & 0x80) === 0) return value
    }
    return null
  }
  while (offset < message.length) {
    const key = varint()
    if (key === null) return null
    const field = Number(key >> 3n)
    const wireType = Number(key & 7n)
    if (wireType === 0) {
      const value = varint()
      if (value === null) return null
      varints.set(field, value)
    } else if (wireType === 2) {
      const size = varint()
      if (size === null || offset + Number(size) > message.length) return null
      bytes.set(field, message.subarray(offset, offset + Number(size)))
      offset += Number(size)
    } else {
      return null
    }
  }
  return {varints, bytes}
}
