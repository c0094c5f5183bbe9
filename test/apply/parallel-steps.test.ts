// Which steps the applier runs together (parallelRun), on the planner's own plans: in a snapshot
// migration the three write-config steps form one run, the three restores another (each restore
// waits only for its own member's config), the restored members' starts a third; the steps that read or write a cluster (snapshot-save, verify, verify-data) run alone; a step whose dependency is in the same run is left for later; done steps
// inside a run are skipped over; the manual provider runs everything one at a time; a join plan's
// membership steps never share. The old members' stops run together and then their fences, the old
// cluster's leader in a wave of its own after the others (leaderLast).
import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {leaderLast, parallelRun} from '../../src/apply/parallel-steps.js'
import type {Step} from '../../src/plan/types.js'
import {joinMigration, snapshotMigration} from '../fixtures/migration-plans.js'
import {tempDir} from '../fixtures/temp-dir.js'

const {plan} = snapshotMigration(tempDir('etcdplan-parallel-steps-'))
const steps = plan.steps
const at = (id: string) => steps.findIndex((s) => s.id === id)
const ids = (run: readonly Step[]) => run.map((s) => s.id)
const doneBefore = (id: string) => new Set(steps.slice(0, at(id)).map((s) => s.id))

describe('parallelRun', () => {
  it('runs the restores of a snapshot migration together, and nothing after them', () => {
    const {run, end} = parallelRun(steps, at('restore-member/etcd4'), doneBefore('restore-member/etcd4'), 'local', 'snapshot')
    assert.deepEqual(ids(run), ['restore-member/etcd4', 'restore-member/etcd5', 'restore-member/etcd6'])
    assert.equal(steps[end]?.id, 'start-member/etcd4')
  })

  it('runs the config writes together, but not a restore that waits for one of them', () => {
    const {run} = parallelRun(steps, at('write-config/etcd4'), doneBefore('write-config/etcd4'), 'ssh', 'snapshot')
    assert.deepEqual(ids(run), ['write-config/etcd4', 'write-config/etcd5', 'write-config/etcd6'])
  })

  it('runs the restored members\' starts together, the retired source members\' stops together and then their fences', () => {
    assert.deepEqual(ids(parallelRun(steps, at('start-member/etcd4'), doneBefore('start-member/etcd4'), 'local', 'snapshot').run), ['start-member/etcd4', 'start-member/etcd5', 'start-member/etcd6'])
    const stops = parallelRun(steps, at('stop-member/etcd1'), doneBefore('stop-member/etcd1'), 'ssh', 'snapshot')
    assert.deepEqual(ids(stops.run), ['stop-member/etcd1', 'stop-member/etcd2', 'stop-member/etcd3'])
    assert.equal(steps[stops.end]?.id, 'fence-member/etcd1')
    assert.deepEqual(ids(parallelRun(steps, stops.end, doneBefore('fence-member/etcd1'), 'ssh', 'snapshot').run), ['fence-member/etcd1', 'fence-member/etcd2', 'fence-member/etcd3'])
  })

  it('stops the old cluster\'s leader after the others, in a wave of its own', () => {
    const {run} = parallelRun(steps, at('stop-member/etcd1'), doneBefore('stop-member/etcd1'), 'local', 'snapshot')
    assert.deepEqual(leaderLast(run, 'etcd2').map(ids), [['stop-member/etcd1', 'stop-member/etcd3'], ['stop-member/etcd2']])
    // No leader known (the old cluster lost its quorum already), or the leader's stop done: one wave.
    assert.deepEqual(leaderLast(run, null).map(ids), [ids(run)])
    assert.deepEqual(leaderLast(run.slice(0, 2), 'etcd3').map(ids), [['stop-member/etcd1', 'stop-member/etcd2']])
    // Runs of other kinds are never split.
    const restores = parallelRun(steps, at('restore-member/etcd4'), doneBefore('restore-member/etcd4'), 'local', 'snapshot').run
    assert.deepEqual(leaderLast(restores, 'etcd4').map(ids), [ids(restores)])
  })

  it('runs a step that acts on a cluster alone', () => {
    for (const id of ['snapshot-save', 'verify', 'verify-data']) {
      const {run, end} = parallelRun(steps, at(id), doneBefore(id), 'local', 'snapshot')
      assert.deepEqual(ids(run), [id])
      assert.equal(end, at(id) + 1)
    }
  })

  it('skips over restores already done and runs the rest together', () => {
    const done = new Set([...doneBefore('restore-member/etcd4'), 'restore-member/etcd5'])
    const {run, skipped} = parallelRun(steps, at('restore-member/etcd4'), done, 'local', 'snapshot')
    assert.deepEqual(ids(run), ['restore-member/etcd4', 'restore-member/etcd6'])
    assert.deepEqual(ids(skipped), ['restore-member/etcd5'])
  })

  it('runs one step at a time with the manual provider: the operator is asked for one thing at a time', () => {
    const {run} = parallelRun(steps, at('restore-member/etcd4'), doneBefore('restore-member/etcd4'), 'manual', 'snapshot')
    assert.deepEqual(ids(run), ['restore-member/etcd4'])
  })

  it('never puts a join plan\'s membership steps together', () => {
    const join = joinMigration().plan.steps
    for (let i = 0; i < join.length; i++) {
      const {run} = parallelRun(join, i, new Set(join.slice(0, i).map((s) => s.id)), 'local', 'join')
      const kinds = new Set(run.map((s) => s.kind))
      if (run.length > 1) assert.ok([...kinds].every((k) => k === 'write-config' || k === 'copy-certificates' || k === 'restore-member'), `${ids(run).join(', ')}`)
      for (const s of run.slice(1)) assert.ok(s.dependsOn.every((d) => !run.some((r) => r.id === d)), `${s.id} waits for a step of its own run`)
    }
  })
})
