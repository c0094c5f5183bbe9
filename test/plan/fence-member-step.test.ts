// fence-member in the plan (issue 13, "removed members stay removed"): join fences every removed
// member right after its stop-member (config and data dir, a separate wal-dir too); snapshot fences
// each old member's config only, right after its stop, keeping its data dir (the fallback). The plan
// file passes its schema with the step, and a plan edited to fence another path is caught against the spec.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {planSpecMismatches} from '../../src/apply/plan-spec-mismatches.js'
import {parsePlan, serialisePlan} from '../../src/plan/plan-file.js'
import type {Plan} from '../../src/plan/types.js'
import {joinMigration, migration, snapshotMigration, stepOf} from '../fixtures/migration-plans.js'
import {members} from '../fixtures/spec-builder.js'

const ids = (plan: Plan): string[] => plan.steps.map((s) => s.id)

describe('fence-member in the plan', () => {
  it('join: each removed member is fenced right after its stop, config and data dir moved, the description says so', () => {
    const {spec, plan} = joinMigration()
    for (const member of spec.source.members) {
      const at = ids(plan).indexOf(`fence-member/${member.name}`)
      assert.equal(ids(plan)[at - 1], `stop-member/${member.name}`, `fence-member/${member.name} follows its stop: ${ids(plan).join(', ')}`)
      const step = stepOf(plan, `fence-member/${member.name}`, 'fence-member')
      assert.equal(step.configFile, member.configFile)
      assert.equal(step.dataDir, member.dataDir)
      assert.deepEqual(step.dependsOn, [`stop-member/${member.name}`])
      assert.match(step.description, new RegExp(`Move ${member.name}'s config and data dir aside on its host \\(never deleted\\)`))
      assert.match(step.description, /cannot rejoin or bootstrap under the old identity/)
    }
    assert.ok(ids(plan).indexOf('fence-member/etcd3') < ids(plan).indexOf('verify'))
  })

  it('join: a wal-dir outside the data dir is moved with it', () => {
    const {plan} = migration({source: members('etcd', 1, 3, 1).map((m) => ({...m, config: {'wal-dir': `/srv/wal/${m.name}`}})), target: members('etcd', 4, 6, 2), dns: false})
    assert.equal(stepOf(plan, 'fence-member/etcd1', 'fence-member').walDir, '/srv/wal/etcd1')
  })

  it('snapshot: each old member\'s config is fenced after its stop; its data dir stays (the fallback)', () => {
    const {spec, plan} = snapshotMigration('/tmp/snapshots')
    for (const member of spec.source.members) {
      const step = stepOf(plan, `fence-member/${member.name}`, 'fence-member')
      assert.equal(ids(plan)[ids(plan).indexOf(step.id) - 1], `stop-member/${member.name}`)
      assert.equal(step.configFile, member.configFile)
      assert.equal(step.dataDir, null)
      assert.match(step.description, /stays in place untouched, the fallback of this migration/)
    }
  })

  it('the plan file with fence steps passes its schema, and an edited path is caught against the spec', () => {
    const {spec, plan} = joinMigration()
    assert.deepEqual(parsePlan(serialisePlan(plan), 'plan.json').steps.filter((s) => s.kind === 'fence-member').length, 3)
    const edited = {...plan, steps: plan.steps.map((s) => (s.id === 'fence-member/etcd1' && s.kind === 'fence-member' ? {...s, dataDir: '/var/lib/important'} : s))}
    assert.ok(planSpecMismatches(edited, spec).some((m) => /fence-member\/etcd1 moves .*\/var\/lib\/important aside/.test(m)), planSpecMismatches(edited, spec).join('\n'))
  })
})
