// The new hosts' etcd binaries for a live plan (observe-versions.ts): probed from the spec before the
// cluster answers (startBinaryProbes: the target members the spec does not list as source members),
// and then used for the members that really join, without probing them twice; a member that joins
// although the spec lists it as a source member (not in the cluster any more) is probed then.
import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import type {LiveCluster} from '../../src/cluster/live-cluster.js'
import {observeVersions, startBinaryProbes} from '../../src/plan/observe-versions.js'
import {FakeNodeProvider} from '../fixtures/fake-node-provider.js'
import {buildSpec, members} from '../fixtures/spec-builder.js'

const source = members('etcd', 1, 3, 1)
const spec = buildSpec({source, target: [source[1]!, source[2]!, ...members('etcd', 4, 5, 2)]})

function clusterOf(names: readonly string[]): LiveCluster {
  const inCluster = source.filter((m) => names.includes(m.name))
  // No client URLs: the cluster version is not read (no member to ask), so only the probes are tested.
  return {mode: 'live', clusterId: '1', leaderId: '11', members: inCluster.map((m, i) => ({id: String(11 + i), name: m.name, peerURLs: [m.peerURL], clientURLs: [], isLearner: false, started: true})), statuses: [], alarms: [], answeredBy: ''}
}

const probedMembers = (provider: FakeNodeProvider) => provider.calls.filter((c) => c.method === 'probeHost').map((c) => c.member)

describe('the etcd binaries of the members that join', () => {
  it('are probed before the cluster is observed, once each', async () => {
    const provider = new FakeNodeProvider()
    const probes = startBinaryProbes(spec, provider)
    assert.deepEqual(probedMembers(provider), ['etcd4', 'etcd5'])
    const versions = await observeVersions(spec, clusterOf(['etcd1', 'etcd2', 'etcd3']), provider, probes)
    assert.deepEqual(versions.binaries, [{member: 'etcd4', version: '3.5.9'}, {member: 'etcd5', version: '3.5.9'}])
    assert.deepEqual(probedMembers(provider), ['etcd4', 'etcd5'])
  })

  it('include a member the spec lists as a source member when the cluster no longer has it, probed then', async () => {
    const provider = new FakeNodeProvider()
    const probes = startBinaryProbes(spec, provider)
    const versions = await observeVersions(spec, clusterOf(['etcd1', 'etcd3']), provider, probes)
    assert.deepEqual(versions.binaries.map((b) => b.member), ['etcd2', 'etcd4', 'etcd5'])
    assert.deepEqual(probedMembers(provider), ['etcd4', 'etcd5', 'etcd2'])
  })

  it('are unknown (null) where the provider cannot look, without failing the plan', async () => {
    const provider = new FakeNodeProvider()
    provider.fail('probeHost', new Error('ssh: connect to host 127.0.2.1 port 22: Connection refused'))
    const versions = await observeVersions(spec, clusterOf(['etcd1', 'etcd2', 'etcd3']), provider, startBinaryProbes(spec, provider))
    assert.deepEqual(versions.binaries, [{member: 'etcd4', version: null}, {member: 'etcd5', version: null}])
  })
})
