// The gRPC package definition the CLI bundle gives the etcd3 client (src/inline-etcd3-proto.ts at
// build time, src/cluster/etcd3-package-definition.ts at run time) against @grpc/proto-loader's
// loadSync of the same rpc.proto with the client's options, which the unbundled client uses: the same
// services and methods (paths, streaming, the names the client calls), and byte-for-byte the same
// messages both ways for requests and responses with int64s, enums, nested and repeated fields.
import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {createRequire} from 'node:module'
import {loadPackageDefinition} from '@grpc/grpc-js'
import {etcd3PackageDefinition} from '../../src/cluster/etcd3-package-definition.js'
import {etcd3Api} from '../../src/inline-etcd3-proto.js'

const require = createRequire(import.meta.url)
const clientPath = require.resolve('etcd3/lib/connection-pool.js')
const protoLoader = createRequire(clientPath)('@grpc/proto-loader') as typeof import('@grpc/proto-loader')
// etcd3 1.1.2's options (connection-pool.js).
const OPTIONS = {keepCase: true, longs: String, enums: String, defaults: true, oneofs: true}
const reference = protoLoader.loadSync(createRequire(clientPath).resolve('../proto/rpc.proto'), OPTIONS)
const {descriptor, methods} = etcd3Api(clientPath)
const built = etcd3PackageDefinition(descriptor, methods, OPTIONS)

type Method = {path: string; requestStream: boolean; responseStream: boolean; originalName?: string; requestSerialize(v: object): Buffer; responseSerialize(v: object): Buffer; requestDeserialize(b: Buffer): object; responseDeserialize(b: Buffer): object}
const referenceMethod = (service: string, name: string) => (reference[service] as unknown as Record<string, Method>)[name]!
const builtMethod = (service: string, name: string) => built[service]![name] as unknown as Method

describe('the bundled etcd3 client API', () => {
  it('has every service and method proto-loader has, with the same paths, streaming and client names', () => {
    const services = Object.keys(reference).filter((k) => !('format' in (reference[k] as object)))
    assert.deepEqual(Object.keys(built).sort(), services.sort())
    assert.ok(services.includes('etcdserverpb.Maintenance') && services.includes('etcdserverpb.Cluster'))
    for (const service of services) {
      const names = Object.keys(reference[service] as object)
      assert.deepEqual(Object.keys(built[service]!).sort(), names.sort(), service)
      for (const name of names) {
        const [r, b] = [referenceMethod(service, name), builtMethod(service, name)]
        assert.deepEqual([b.path, b.requestStream, b.responseStream, b.originalName], [r.path, r.requestStream, r.responseStream, r.originalName], `${service}.${name}`)
      }
    }
    // The names etcd3 calls on grpc-js's clients (etcd-facts.md: HashKV's is hashKv).
    const clients = loadPackageDefinition(built as never) as unknown as {etcdserverpb: Record<string, {prototype: Record<string, unknown>}>}
    for (const [service, method] of [['Maintenance', 'hashKv'], ['Maintenance', 'moveLeader'], ['Cluster', 'memberPromote'], ['KV', 'range'], ['Watch', 'watch']] as const) {
      assert.equal(typeof clients.etcdserverpb[service]!.prototype[method], 'function', `${service}.${method}`)
    }
  })

  const samples: Array<[string, string, 'request' | 'response', object]> = [
    ['etcdserverpb.KV', 'Range', 'request', {key: Buffer.from('a'), range_end: Buffer.from('b'), limit: '10', revision: '9007199254740993', serializable: true, sort_order: 'DESCEND'}],
    ['etcdserverpb.KV', 'Range', 'response', {header: {cluster_id: '14841639068965178418', member_id: '10276657743932975437', revision: '42', raft_term: '3'}, kvs: [{key: Buffer.from('k'), value: Buffer.from('v'), create_revision: '5', mod_revision: '7', version: '2', lease: '0'}], more: false, count: '1'}],
    ['etcdserverpb.Cluster', 'MemberList', 'response', {members: [{ID: '18446744073709551615', name: 'etcd1', peerURLs: ['http://127.0.0.1:2380'], clientURLs: ['http://127.0.0.1:2379'], isLearner: true}]}],
    ['etcdserverpb.Maintenance', 'Status', 'response', {version: '3.5.16', dbSize: '304087040', leader: '1', raftIndex: '123', raftTerm: '4', raftAppliedIndex: '123', errors: ['x'], dbSizeInUse: '2000', isLearner: false}],
    ['etcdserverpb.Maintenance', 'Alarm', 'request', {action: 'GET', memberID: '0', alarm: 'NOSPACE'}],
    ['etcdserverpb.Maintenance', 'HashKV', 'response', {hash: 4294967295, compact_revision: '3'}],
    ['etcdserverpb.Watch', 'Watch', 'request', {create_request: {key: Buffer.from('p'), range_end: Buffer.from('q'), start_revision: '8', prev_kv: true}}],
    ['etcdserverpb.KV', 'Txn', 'request', {compare: [{result: 'EQUAL', target: 'VERSION', key: Buffer.from('k'), version: '0'}], success: [{request_put: {key: Buffer.from('k'), value: Buffer.from('v')}}], failure: []}],
  ]
  for (const [service, name, direction, value] of samples) {
    it(`encodes and decodes ${service}.${name}'s ${direction} exactly as proto-loader does`, () => {
      const [r, b] = [referenceMethod(service, name), builtMethod(service, name)]
      const serialize = direction === 'request' ? 'requestSerialize' : 'responseSerialize'
      const deserialize = direction === 'request' ? 'requestDeserialize' : 'responseDeserialize'
      const bytes = r[serialize](value)
      assert.ok(bytes.length > 0)
      assert.deepEqual(b[serialize](value), bytes)
      assert.deepEqual(b[deserialize](bytes), r[deserialize](bytes))
    })
  }
})
