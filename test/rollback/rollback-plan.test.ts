// The rollback plan is the join planner's plan of the derived spec (source and target swapped): the
// members the migration added are removed (a started learner first, voters after leadership moved
// off them), DNS points back only when the forward apply had started switching it, and nothing past
// the source is touched. apply derives the same spec from the plan's rollbackOf and the forward
// spec, and re-planning it gives the same plan (so a rollback plan passes the planner check).
import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {buildPlan} from '../../src/plan/build-plan.js'
import {differenceFromPlanner} from '../../src/plan/rederive-plan.js'
import type {Observation} from '../../src/cluster/observation.js'
import type {MemberSpec} from '../../src/spec/types.js'
import type {Journal} from '../../src/apply/journal.js'
import {newJournal} from '../../src/apply/journal.js'
import {rollbackSpec, specForPlan} from '../../src/rollback/rollback-spec.js'
import {journalProgress} from '../../src/rollback/journal-progress.js'
import {rollbackWarnings} from '../../src/rollback/rollback-warnings.js'
import {renderPlan} from '../../src/render/render-plan.js'
import {buildSpec, members} from '../fixtures/spec-builder.js'
import {observeFromSpec} from '../../src/cluster/offline-observation.js'

const old3 = members('etcd', 1, 3, 1)
const new3 = members('etcd', 4, 6, 2)
const forward = buildSpec({source: old3, target: new3})
const HASH = `sha256:${'0'.repeat(64)}`

/** The cluster after a join was killed: the source voters, etcd4 a voter, etcd5 a started learner. */
function live(voters: readonly MemberSpec[], learner?: MemberSpec): Observation {
  const entry = (m: MemberSpec, isLearner: boolean) => ({id: String(Number(m.name.slice(4))), name: m.name, peerURLs: [m.peerURL], clientURLs: [m.clientURL], isLearner, started: true})
  return {mode: 'live', clusterId: '1234', leaderId: '4', members: [...voters.map((m) => entry(m, false)), ...(learner === undefined ? [] : [entry(learner, true)])], configs: []}
}

describe('the rollback plan', () => {
  const rollbackOf = {migration: forward.name, added: ['etcd4', 'etcd5'], dnsSwitched: false}
  const derived = rollbackSpec(forward, rollbackOf)
  const plan = buildPlan(derived, HASH, live([...old3, new3[0]!], new3[1]), 'spec.yaml', rollbackOf)
  const ids = plan.steps.map((s) => s.id)

  it('has its own name (own journal and lock) and returns to exactly the source members', () => {
    assert.equal(plan.name, 'test-migration-rollback')
    assert.deepEqual(plan.targetVoters, ['etcd1', 'etcd2', 'etcd3'])
    assert.deepEqual(plan.rollbackOf, rollbackOf)
    const verify = plan.steps.find((s) => s.kind === 'verify')
    assert.ok(verify?.kind === 'verify')
    assert.deepEqual(verify.expectedVoters, ['etcd1', 'etcd2', 'etcd3'])
  })

  it('removes the learner first, then the added voter with leadership moved off it (etcd4 leads), each confirmed stopped', () => {
    assert.deepEqual(ids, ['preflight', 'remove-member/etcd5', 'stop-member/etcd5', 'fence-member/etcd5', 'move-leader/etcd4', 'remove-member/etcd4', 'stop-member/etcd4', 'fence-member/etcd4', 'verify'])
    // No write, rewrite or restart: etcdplan never wrote a source member's config, so none is restored.
    assert.ok(plan.steps.every((s) => !['write-config', 'rewrite-config', 'restart-member', 'add-learner', 'add-member'].includes(s.kind)))
  })

  it('has no point of no return of its own; the members it removes are fenced, so no data dir is left to move aside by hand', () => {
    assert.equal(plan.pointOfNoReturn, null)
    assert.deepEqual(plan.warnings.filter((w) => w.code === 'rollback-data-dir'), [])
  })

  it('warns about the data dir of a removed member it cannot fence', () => {
    const unfenced = plan.steps.filter((s) => !(s.kind === 'fence-member' && s.member === 'etcd4'))
    const dirs = rollbackWarnings(rollbackSpec(forward, rollbackOf), rollbackOf, unfenced).map((w) => w.message)
    assert.equal(dirs.length, 1)
    assert.match(dirs[0]!, /etcd4's data dir \.etcdplan\/local\/etcd4\/data .*move it aside/)
  })

  it('switches DNS back to the source members before any removal, only when the forward apply had switched it', () => {
    assert.ok(!ids.includes('switch-dns'))
    const of = {...rollbackOf, dnsSwitched: true}
    const back = buildPlan(rollbackSpec(forward, of), HASH, live([...old3, ...new3]), 'spec.yaml', of)
    const dns = back.steps.find((s) => s.kind === 'switch-dns')
    assert.ok(dns?.kind === 'switch-dns')
    assert.deepEqual(dns.clientURLs, old3.map((m) => m.clientURL))
    assert.ok(back.steps.findIndex((s) => s.kind === 'switch-dns') < back.steps.findIndex((s) => s.kind === 'remove-member'))
  })

  it('is what the planner makes of the forward spec and its rollbackOf (apply re-derives it), and an edited rollbackOf is caught', () => {
    assert.equal(differenceFromPlanner(plan, specForPlan(plan, forward)), null)
    const edited = {...plan, rollbackOf: {...rollbackOf, added: ['etcd4']}}
    assert.notEqual(differenceFromPlanner(edited, specForPlan(edited, forward)), null)
  })

  it('says in its header what it rolls back', () => {
    assert.match(renderPlan(plan, {colour: false}), /Rollback of migration "test-migration": returns to its source members; removes etcd4, etcd5, which it added\./)
  })
})

describe('what the forward journal says', () => {
  const fwd = buildPlan(forward, HASH, observeFromSpec(forward))
  const journalWith = (status: Record<string, 'done' | 'running' | 'failed'>): Journal => {
    const j = newJournal(fwd, new Date(0))
    return {...j, steps: j.steps.map((s) => (s.id in status ? {...s, status: status[s.id]!} : s))}
  }

  it('finds the same point of no return as the planner, from the step ids alone', () => {
    assert.deepEqual(journalProgress(forward, journalWith({})).pointOfNoReturn, fwd.pointOfNoReturn)
  })

  it('is past the point once its step has run or may have; a DNS switch counts once started', () => {
    const before = journalProgress(forward, journalWith({'add-learner/etcd4': 'done', 'switch-dns': 'running'}))
    assert.deepEqual(before.pastPoint, [])
    assert.equal(before.dnsSwitched, true)
    const past = journalProgress(forward, journalWith({'switch-dns': 'done', [fwd.pointOfNoReturn!.stepId]: 'running'}))
    assert.deepEqual(past.pastPoint.map((s) => s.id), [fwd.pointOfNoReturn!.stepId])
    assert.equal(journalProgress(forward, journalWith({})).dnsSwitched, false)
  })
})
