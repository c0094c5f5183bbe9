// Drift between the spec's `source` and the live cluster is shown to the reviewer as warnings on the
// plan; the plan itself starts from what runs.
import assert from 'node:assert/strict'
import {test} from 'node:test'
import {buildPlan} from '../../src/plan/build-plan.js'
import {sourceDrift} from '../../src/plan/source-drift.js'
import {buildSpec, members} from '../fixtures/spec-builder.js'
import {liveCluster} from '../apply/live-cluster-builder.js'

const spec = buildSpec({source: members('etcd', 1, 3, 1), target: members('etcd', 4, 6, 2), dns: false})
const source = [1, 2, 3].map((i) => ({name: `etcd${i}`, host: `127.0.1.${i}`}))

test('no drift when the live cluster is the spec\'s source', () => {
  assert.deepEqual(sourceDrift(spec, liveCluster(source, {leader: 'etcd1'})), [])
})

test('a source member missing from the live cluster is reported', () => {
  const drift = sourceDrift(spec, liveCluster(source.slice(0, 2), {leader: 'etcd1'}))
  assert.deepEqual(drift.map((w) => w.code), ['source-member-missing'])
  assert.match(drift[0]!.message, /source member etcd3 \(http:\/\/127\.0\.1\.3:2380\) is not in the live cluster \(already removed\?\)/)
})

test('a source member that is only a learner is reported', () => {
  const drift = sourceDrift(spec, liveCluster([...source.slice(0, 2), {...source[2]!, learner: true}], {leader: 'etcd1'}))
  assert.deepEqual(drift.map((w) => w.code), ['source-member-learner'])
})

test('an offline observation has no drift to report', () => {
  assert.deepEqual(buildPlan(spec, `sha256:${'0'.repeat(64)}`, {mode: 'offline', clusterId: null, leaderId: null, members: []}).warnings.filter((w) => w.code.startsWith('source-')), [])
})

test('a live plan carries the drift and still plans from the live membership', () => {
  const plan = buildPlan(spec, `sha256:${'0'.repeat(64)}`, liveCluster(source.slice(0, 2), {leader: 'etcd1'}))
  assert.ok(plan.warnings.some((w) => w.code === 'source-member-missing'))
  assert.deepEqual(plan.steps.filter((s) => s.kind === 'remove-member').map((s) => ('member' in s ? s.member : '')).sort(), ['etcd1', 'etcd2'])
})
