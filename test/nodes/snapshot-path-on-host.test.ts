// Where a snapshot saved on the apply machine goes on a member's host (snapshot-path-on-host.ts): for
// ssh, nodes.ssh.snapshotDir (its {name} filled) under the snapshot's file name, whatever the apply
// machine's path (relative or absolute); for the other providers, the apply machine's path itself.
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {snapshotPathOnHost, sshSnapshotPath} from '../../src/nodes/snapshot-path-on-host.js'
import type {Spec} from '../../src/spec/types.js'

const local = {workDir: '.etcdplan/local', etcd: 'etcd'}
const ssh = {sudo: false, service: 'process', unit: 'etcd-{name}.service', etcd: 'etcd', dataDir: '/var/lib/etcd/{name}', configFile: '/etc/etcd/{name}.yaml', runDir: '/var/lib/etcdplan/{name}', snapshotDir: '/var/lib/etcdplan/snapshots'} as const

test('ssh: the host path is snapshotDir/<file name>, never the apply machine path', () => {
  const nodes: Spec['nodes'] = {provider: 'ssh', local, ssh}
  assert.equal(snapshotPathOnHost(nodes, {name: 'etcd4'}, '.etcdplan/m/snapshots/m.db'), '/var/lib/etcdplan/snapshots/m.db')
  assert.equal(snapshotPathOnHost(nodes, {name: 'etcd4'}, '/tmp/x/backups/m.db'), '/var/lib/etcdplan/snapshots/m.db')
  assert.equal(sshSnapshotPath('/srv/{name}/snap/', 'etcd5', '/a/b/m.db'), '/srv/etcd5/snap/m.db')
})

test('local, exec and manual: the apply machine path as it is', () => {
  for (const provider of ['local', 'exec', 'manual'] as const) {
    assert.equal(snapshotPathOnHost({provider, local}, {name: 'etcd4'}, '.etcdplan/m/snapshots/m.db'), '.etcdplan/m/snapshots/m.db')
  }
})
