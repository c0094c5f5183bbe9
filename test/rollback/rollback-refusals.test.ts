// The refusals of `plan --rollback` that are decided from the spec and the journal alone, before the
// cluster is asked (no etcd needed): a snapshot migration past stopping its old members (their data
// dirs kept, and how to start them again), a snapshot migration before that (the source was never
// changed: the steps back), and a journal written from another version of the spec. Each is a
// UserError with its code, exit 1, and writes nothing.
import {describe, it, before, after} from 'node:test'
import assert from 'node:assert/strict'
import {mkdtemp, readdir, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {newJournal, writeJournal} from '../../src/apply/journal.js'
import {buildPlan} from '../../src/plan/build-plan.js'
import {observeFromSpec} from '../../src/cluster/offline-observation.js'
import {loadSpecFile} from '../../src/spec/load-spec.js'
import type {Spec} from '../../src/spec/types.js'
import {planRollback} from '../../src/rollback/plan-rollback.js'
import {UserError} from '../../src/user-error.js'
import {namedMembers} from '../../lab/migration-spec.js'
import {writeAndLoadSpec} from '../fixtures/lab-cluster.js'

const hosts = ['127.0.1.1', '127.0.1.2', '127.0.1.3', '127.0.2.1', '127.0.2.2', '127.0.2.3']
const neverObserve = async (): Promise<never> => assert.fail('the cluster must not be asked for this refusal')

describe('plan --rollback refusals decided from the journal', () => {
  let dir = ''
  let specPath = ''
  let spec: Spec
  let specHash = ''
  const journalPath = () => join(dir, 'state.json')

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'etcdplan-rollback-refusals-'))
    const m = namedMembers('etcd', hosts)
    const loaded = await writeAndLoadSpec({name: 'snap', dir, strategy: 'snapshot', source: m.slice(0, 3), target: m.slice(3), dns: {name: 'etcd.snap.test', switch: {via: 'manual'}, verify: false}})
    spec = loaded.spec
    specPath = loaded.path
    specHash = (await loadSpecFile(specPath)).specHash!
  })
  after(() => rm(dir, {recursive: true, force: true}))

  /** A journal of the snapshot plan with the given steps done. */
  async function journalWith(done: readonly string[], hash = specHash): Promise<void> {
    const plan = buildPlan(spec, hash, observeFromSpec(spec))
    const journal = newJournal(plan, new Date(0))
    await writeJournal(journalPath(), {...journal, steps: journal.steps.map((s) => (done.includes(s.id) ? {...s, status: 'done'} : s))})
  }

  async function refusal(): Promise<UserError> {
    const before = await readdir(dir)
    const error = await planRollback(specPath, {state: journalPath(), observe: neverObserve}).then(
      () => assert.fail('planned a rollback'),
      (e: unknown) => e,
    )
    assert.ok(error instanceof UserError, String(error))
    assert.equal(error.exitCode, 1)
    assert.deepEqual(await readdir(dir), before, 'a refusal wrote something')
    return error
  }

  it('snapshot past stopping the old members: refused, naming them, with their kept data dirs and how to start them', async () => {
    await journalWith(['preflight', 'snapshot-save', 'snapshot-verify', 'verify', 'verify-data', 'switch-dns', 'stop-member/etcd1'])
    const error = await refusal()
    assert.equal(error.code, 'past-point-of-no-return')
    assert.match(error.message, /cannot plan a rollback of "snap": it is past its point of no return — the old members etcd1 were stopped/)
    assert.match(error.hint ?? '', /the old members' data dirs are kept and can be started as they were/)
    const etcd1 = spec.source.members[0]!
    assert.ok(error.hint?.includes(`start etcd1 as it ran before, from its kept data dir ${etcd1.dataDir} (e.g. etcd --config-file ${etcd1.configFile})`), error.hint)
    assert.ok(error.hint?.includes('point etcd.snap.test back at http://127.0.1.1:2379'), error.hint)
  })

  it('snapshot before its point of no return: no plan, the source was never changed; the steps back', async () => {
    await journalWith(['preflight', 'snapshot-save', 'snapshot-verify', 'verify', 'verify-data', 'switch-dns'])
    const error = await refusal()
    assert.equal(error.code, 'rollback-not-planned')
    assert.match(error.hint ?? '', /1\. point etcd\.snap\.test back at .*; 2\. stop the new members etcd4, etcd5, etcd6/)
  })

  it('a journal written from another version of the spec', async () => {
    await journalWith(['preflight'], `sha256:${'1'.repeat(64)}`)
    const error = await refusal()
    assert.equal(error.code, 'plan-spec-mismatch')
    assert.match(error.message, /was written by an apply of another version of this spec/)
  })
})
