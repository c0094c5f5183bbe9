// The version rules of a join migration at plan time (src/plan/plan-version-skew.ts) and the versions
// in the plan's record and fingerprint (src/plan/fingerprint.ts): a new member's binary must join at
// the cluster version (one minor up at most, never down), the plan says the cluster version the
// target ends at and verify waits for it, and a member upgraded between plan and apply makes the
// saved plan stale.
import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {buildPlan} from '../../src/plan/build-plan.js'
import {UnsafePlanError} from '../../src/plan/unsafe-plan-error.js'
import {checkPlanCurrent, NOT_STARTED} from '../../src/apply/check-plan-current.js'
import {fingerprintOf} from '../../src/plan/fingerprint.js'
import {describeVersions} from '../../src/render/describe-plan.js'
import type {Observation, ObservedVersions} from '../../src/cluster/observation.js'
import type {EndpointStatus, LiveCluster} from '../../src/cluster/live-cluster.js'
import type {Plan} from '../../src/plan/types.js'
import {buildSpec, members} from '../fixtures/spec-builder.js'

const old3 = members('etcd', 1, 3, 1)
const new3 = members('etcd', 4, 6, 2)
const spec = buildSpec({source: old3, target: new3})

function observed(member: string, cluster: string | null, binary: string | null): Observation {
  const versions: ObservedVersions = {
    members: old3.map((_, i) => ({id: String(i + 1), version: member})),
    cluster,
    binaries: new3.map((m) => ({member: m.name, version: binary})),
  }
  return {
    mode: 'live',
    clusterId: '1234',
    leaderId: '1',
    members: old3.map((m, i) => ({id: String(i + 1), name: m.name, peerURLs: [m.peerURL], clientURLs: [m.clientURL], isLearner: false, started: true})),
    versions,
  }
}

const plan = (o: Observation): Plan => buildPlan(spec, `sha256:${'0'.repeat(64)}`, o)
const verifyOf = (p: Plan) => p.steps.find((s) => s.kind === 'verify')

function refusalOf(o: Observation): UnsafePlanError {
  try {
    plan(o)
  } catch (error) {
    assert.ok(error instanceof UnsafePlanError, String(error))
    return error
  }
  assert.fail('the plan was made')
}

describe('planning a migration across etcd versions', () => {
  it('3.4 → 3.5: planned; verify waits for cluster version 3.5, and a warning says the rise is one-way', () => {
    const p = plan(observed('3.4.23', '3.4.0', '3.5.16'))
    const verify = verifyOf(p)
    assert.equal(verify?.kind === 'verify' ? verify.clusterVersion : null, '3.5')
    assert.match(verify?.description ?? '', /The cluster version reaches 3\.5\.$/)
    assert.match(p.warnings.find((w) => w.code === 'cluster-version-rises')?.message ?? '', /rises from 3\.4 to 3\.5 .* no etcd 3\.4 member can join/)
    assert.equal(describeVersions(p), 'etcd versions: etcd1 3.4.23, etcd2 3.4.23, etcd3 3.4.23 · cluster version 3.4.0 · joining: etcd4 3.5.16, etcd5 3.5.16, etcd6 3.5.16 · cluster version at the end 3.5')
  })

  it('same version: verify checks the cluster stays at 3.4, no warning', () => {
    const p = plan(observed('3.4.23', '3.4.0', '3.4.23'))
    const verify = verifyOf(p)
    assert.equal(verify?.kind === 'verify' ? verify.clusterVersion : null, '3.4')
    assert.equal(p.warnings.some((w) => w.code === 'cluster-version-rises'), false)
  })

  it('3.5 → 3.4 is refused: a 3.4 member cannot join a cluster whose cluster version is 3.5', () => {
    const error = refusalOf(observed('3.5.16', '3.5.0', '3.4.23'))
    assert.equal(error.reasons.length, 3, 'one reason per new member')
    const first = error.reasons[0]!
    assert.equal(first.code, 'etcd-version-skew')
    assert.deepEqual(first.path, ['target', 'members', 0])
    assert.match(first.message, /^etcd4's etcd binary is 3\.4\.23, but the cluster version is 3\.5: a 3\.4 member cannot join a cluster whose cluster version is 3\.5/)
    assert.match(first.hint, /etcd 3\.5 binary .* never down/)
  })

  it('two minors up (3.4 → 3.6) is refused: one minor step at a time', () => {
    const error = refusalOf(observed('3.4.23', '3.4.0', '3.6.0'))
    assert.match(error.reasons[0]!.message, /at most one minor version apart/)
    assert.match(error.reasons[0]!.hint, /one minor at a time: .* 3\.4 or 3\.5/)
  })

  it('the cluster version decided by etcd counts, not only the members: 3.5 members at cluster version 3.4 still take a 3.4 binary', () => {
    // A cluster whose last 3.4 member just left reports 3.5 servers while the cluster version is still 3.4.
    assert.doesNotThrow(() => plan(observed('3.5.16', '3.4.0', '3.4.23')))
  })

  it('an unknown binary version is left to the preflight; the end version is then unknown (verify does not wait for one)', () => {
    const p = plan(observed('3.4.23', '3.4.0', null))
    const verify = verifyOf(p)
    assert.equal(verify?.kind === 'verify' ? verify.clusterVersion : 'x', undefined)
  })

  it('an unreadable cluster version is said in a warning', () => {
    const o = observed('3.4.23', null, '3.5.16')
    const p = plan({...o, versions: {...o.versions!, members: o.versions!.members.map((m) => ({...m, version: null}))}})
    assert.ok(p.warnings.some((w) => w.code === 'cluster-version-unknown'))
  })
})

describe('versions in the fingerprint and the stale check', () => {
  it('a member upgraded between plan and apply changes the fingerprint', () => {
    const before = observed('3.4.23', '3.4.0', '3.5.16')
    const upgraded = {...before, versions: {...before.versions!, members: before.versions!.members.map((m, i) => (i === 1 ? {...m, version: '3.5.16'} : m))}}
    assert.notEqual(fingerprintOf(before), fingerprintOf(upgraded))
    assert.equal(fingerprintOf(before), fingerprintOf({...before, versions: {...before.versions!, members: [...before.versions!.members].reverse()}}), 'order does not matter')
  })

  it('an offline observation (no versions) fingerprints as before versions existed', () => {
    const o = observed('3.4.23', '3.4.0', '3.5.16')
    const {versions: _, ...withoutVersions} = o
    assert.equal(fingerprintOf(withoutVersions), fingerprintOf({...withoutVersions, versions: undefined}))
  })

  it('apply finds the saved plan stale when a member runs another etcd than the plan saw', () => {
    const o = observed('3.4.23', '3.4.0', '3.5.16')
    const p = plan(o)
    const status = (id: string, version: string): EndpointStatus => ({endpoint: `u${id}`, memberId: id, error: null, version, dbSize: 1, leaderId: '1', raftIndex: 10, raftAppliedIndex: 10, raftTerm: 2, revision: 5, isLearner: false, errors: []})
    const liveWith = (v2: string): LiveCluster => ({...o, mode: 'live', statuses: [status('1', '3.4.23'), status('2', v2), status('3', '3.4.23')], alarms: [], answeredBy: 'u1'})
    assert.deepEqual(checkPlanCurrent(p, liveWith('3.4.23'), NOT_STARTED), [])
    assert.deepEqual(checkPlanCurrent(p, liveWith('3.5.16'), NOT_STARTED), ['etcd2 runs etcd 3.5.16, the plan was made when it ran 3.4.23 (upgraded since?)'])
  })
})
