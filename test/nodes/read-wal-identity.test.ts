// The WAL reading a remote provider reuses, on bytes (the real-WAL case, against the IDs etcd
// reports, is in snapshot-on-host.etcd.test.ts and adopt-running-etcd.etcd.test.ts): the WAL dir of a
// member (its wal-dir key, else <data-dir>/member/wal), the file to fetch (the lowest *.wal), and the
// frames as etcd writes them — a CRC record, then the metadata record, each frame's length word
// flagging its padding to 8 bytes in the top byte — parsed into decimal uint64 IDs; bytes that are
// not a whole metadata record give no identity rather than a wrong one. No etcd needed.
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {firstWalFile, readWalIdentity, walDirOf} from '../../src/nodes/read-wal-identity.js'
import type {MemberSpec} from '../../src/spec/types.js'

const member: MemberSpec = {name: 'etcd4', peerURL: 'http://127.0.2.1:2380', clientURL: 'http://127.0.2.1:2379', host: '127.0.2.1', dataDir: '/var/lib/etcd4', configFile: '/etc/etcd4.yaml', config: {}}

function varint(value: bigint): Buffer {
  const out: number[] = []
  let v = value
  do {
    let byte = Number(v & 0x7fn)
    v >>= 7n
    if (v !== 0n) byte |= 0x80
    out.push(byte)
  } while (v !== 0n)
  return Buffer.from(out)
}

/** A walpb.Record (1 type, 2 crc, 3 data) in a frame padded to 8 bytes, as etcd's encoder writes it. */
function frame(type: bigint, data: Buffer | null): Buffer {
  const record = Buffer.concat([varint(1n << 3n), varint(type), varint(2n << 3n), varint(0xdeadbeefn), ...(data === null ? [] : [varint((3n << 3n) | 2n), varint(BigInt(data.length)), data])])
  const padding = (8 - (record.length % 8)) % 8
  const length = Buffer.alloc(8)
  length.writeBigUInt64LE(BigInt(record.length) | (padding === 0 ? 0n : BigInt(0x80 | padding) << 56n))
  return Buffer.concat([length, record, Buffer.alloc(padding)])
}

function metadata(memberId: bigint, clusterId: bigint): Buffer {
  return Buffer.concat([varint(1n << 3n), varint(memberId), varint(2n << 3n), varint(clusterId)])
}

test('walDirOf: the wal-dir key, else etcd\'s default under the data dir', () => {
  assert.equal(walDirOf(member), '/var/lib/etcd4/member/wal')
  assert.equal(walDirOf({...member, config: {'wal-dir': '/fast/wal'}}), '/fast/wal')
})

test('firstWalFile: the lowest *.wal of a listing, or none', () => {
  assert.equal(firstWalFile(['0000000000000002-0000000000000c35.wal', '0.tmp', '0000000000000001-0000000000000064.wal', 'x.wal.broken']), '0000000000000001-0000000000000064.wal')
  assert.equal(firstWalFile(['0.tmp']), null)
  assert.equal(firstWalFile([]), null)
})

test('readWalIdentity: the metadata record after the CRC record, uint64 IDs exactly', () => {
  const memberId = 0x8e9e05c52164694dn // above 2^53: must not pass through a float
  const clusterId = 0xcdf818194e3a8c32n
  const head = Buffer.concat([frame(4n, null), frame(1n, metadata(memberId, clusterId)), frame(2n, Buffer.from('snapshot record'))])
  assert.deepEqual(readWalIdentity(head), {memberId: memberId.toString(), clusterId: clusterId.toString()})
  assert.deepEqual(readWalIdentity(new Uint8Array(head)), {memberId: memberId.toString(), clusterId: clusterId.toString()}, 'any Uint8Array, as a remote provider fetches it')
})

test('readWalIdentity: no identity from bytes that are not a whole metadata record', () => {
  const crc = frame(4n, null)
  const meta = frame(1n, metadata(7n, 9n))
  const head = Buffer.concat([crc, meta])
  // The metadata frame's padding (its length word's low 3 bits of the top byte) is not needed to read it.
  const recordEnd = head.length - (meta[7]! & 0x7)
  assert.ok(recordEnd < head.length, 'this metadata record is padded')
  for (let cut = 0; cut < recordEnd; cut++) assert.equal(readWalIdentity(head.subarray(0, cut)), null, `first ${cut} bytes`)
  for (let cut = recordEnd; cut <= head.length; cut++) assert.deepEqual(readWalIdentity(head.subarray(0, cut)), {memberId: '7', clusterId: '9'}, `first ${cut} bytes`)
  assert.equal(readWalIdentity(Buffer.alloc(4096)), null, 'a preallocated, never written file is zeros')
  assert.equal(readWalIdentity(Buffer.concat([frame(4n, null), frame(1n, varint(1n << 3n))])), null, 'metadata without a cluster ID')
  assert.equal(readWalIdentity(Buffer.from('SQLite format 3\0 and then some more bytes of another file')), null)
})
