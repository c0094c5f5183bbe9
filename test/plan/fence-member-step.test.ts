// fence-member in the plan (issue 13, "removed members stay removed"): join fences every removed
// member right after its stop-member (config and data dir, a separate wal-dir too); snapshot fences
// each old member's config only, right after its stop, keeping its data dir (the fallback). The plan
// file passes its schema with the step, and a plan edited to fence another path is caught against the spec.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {planSpecMismatches} from '../../src/apply/plan-spec-mismatches.js'
import type {Observation} from '../../src/cluster/observation.js'
import {buildPlan} from '../../src/plan/build-plan.js'
import {parsePlan, serialisePlan} from '../../src/plan/plan-file.js'
import type {Plan} from '../../src/plan/types.js'
import {joinMigration, migration, snapshotMigration, stepOf} from '../fixtures/migration-plans.js'
import {buildSpec, members} from '../fixtures/spec-builder.js'

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

  it('snapshot: each old member\'s config is fenced after the old members\' stops (run together); its data dir stays (the fallback)', () => {
    const {spec, plan} = snapshotMigration('/tmp/snapshots')
    const lastStop = Math.max(...spec.source.members.map((m) => ids(plan).indexOf(`stop-member/${m.name}`)))
    for (const member of spec.source.members) {
      const step = stepOf(plan, `fence-member/${member.name}`, 'fence-member')
      assert.ok(ids(plan).indexOf(step.id) > lastStop, `${step.id} comes after every stop: ${ids(plan).join(', ')}`)
      assert.deepEqual(step.dependsOn, [`stop-member/${member.name}`])
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

  it('a member found down is not fenced (its host may be gone): the plan warns with the commands to run by hand', () => {
    const three = members('etcd', 1, 3, 1)
    const listed = three.map((m, i) => ({id: String(i + 1), name: m.name, peerURLs: [m.peerURL], clientURLs: [m.clientURL], isLearner: false, started: true}))
    const observation: Observation = {mode: 'live', clusterId: '1234', leaderId: '1', members: listed, down: [{id: '3', error: 'connect ECONNREFUSED 127.0.1.3:2379'}]}
    const spec = buildSpec({source: three, target: [three[0]!, three[1]!, ...members('etcd', 4, 4, 2)]})
    const plan = buildPlan(spec, `sha256:${'0'.repeat(64)}`, observation)
    assert.ok(ids(plan).includes('stop-member/etcd3') && !ids(plan).includes('fence-member/etcd3'), ids(plan).join(', '))
    const warning = plan.warnings.find((w) => w.code === 'fence-by-hand')
    assert.ok(warning !== undefined, JSON.stringify(plan.warnings))
    assert.match(warning.message, /etcd3 is down, so the plan does not fence its host/)
    assert.ok(warning.message.includes(`mv ${three[2]!.configFile} ${three[2]!.configFile}.removed-$(date -u +%Y%m%dT%H%M%SZ)`), warning.message)
  })

  it('exec without nodes.exec.fence: the plan says the fence steps cannot move anything', () => {
    const exec = {writeConfig: ['w'], start: ['s'], stop: ['t'], isRunning: ['r']}
    const {plan} = migration({source: members('etcd', 1, 3, 1), target: members('etcd', 4, 6, 2), dns: false}, (spec) => ({...spec, nodes: {...spec.nodes, provider: 'exec', exec}}))
    assert.match(plan.warnings.find((w) => w.code === 'fence-unavailable')?.message ?? '', /nodes\.exec has no fence command, so the fence-member steps \(etcd1, etcd2, etcd3\)/)
    const {plan: withFence} = migration({source: members('etcd', 1, 3, 1), target: members('etcd', 4, 6, 2), dns: false}, (spec) => ({...spec, nodes: {...spec.nodes, provider: 'exec', exec: {...exec, fence: ['f']}}}))
    assert.equal(withFence.warnings.some((w) => w.code === 'fence-unavailable'), false)
  })
})
