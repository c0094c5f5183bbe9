// cluster.distribute in the plan: one copy-certificates step per new member, before its config is
// written (join: and before its add; snapshot: before its restore), listing each file from
// distribute.from to its host path, paths only; the preflight checks those sources (certificates-
// valid), and config-files-readable no longer asks the host for files that are copied later. The plan
// file passes its schema, and an edited copy step is caught against the spec.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {planSpecMismatches} from '../../src/apply/plan-spec-mismatches.js'
import {parsePlan, serialisePlan} from '../../src/plan/plan-file.js'
import type {Plan, Step} from '../../src/plan/types.js'
import type {MemberSpec, Spec} from '../../src/spec/types.js'
import {migration} from '../fixtures/migration-plans.js'
import {members} from '../fixtures/spec-builder.js'

const https = (m: MemberSpec): MemberSpec => ({
  ...m,
  peerURL: m.peerURL.replace('http:', 'https:'),
  clientURL: m.clientURL.replace('http:', 'https:'),
  tls: {ca: '/etc/etcd/pki/ca.pem', cert: `/etc/etcd/pki/${m.name}.pem`, key: `/etc/etcd/pki/${m.name}-key.pem`, clientCertAuth: true},
  peerTLS: {ca: '/etc/etcd/pki/ca.pem', cert: `/etc/etcd/pki/${m.name}-peer.pem`, key: `/etc/etcd/pki/${m.name}-peer-key.pem`, clientCertAuth: true},
})
const withDistribute = (spec: Spec): Spec => ({...spec, cluster: {...spec.cluster, distribute: {from: 'certs/'}}})

function tlsMigration(strategy: Spec['strategy'], distribute: boolean): {spec: Spec; plan: Plan} {
  return migration({source: members('etcd', 1, 3, 1).map(https), target: members('etcd', 4, 6, 2).map(https), dns: false, strategy}, (spec) => {
    const snapshot = strategy === 'snapshot' ? {...spec, snapshot: {from: 'auto', dir: '/tmp/snapshots'}} : spec
    return distribute ? withDistribute(snapshot) : snapshot
  })
}

const ids = (plan: Plan): string[] => plan.steps.map((s) => s.id)
const copyOf = (plan: Plan, name: string): Extract<Step, {kind: 'copy-certificates'}> => {
  const step = plan.steps.find((s) => s.id === `copy-certificates/${name}`)
  assert.ok(step !== undefined && step.kind === 'copy-certificates', `no copy-certificates/${name} in ${ids(plan).join(', ')}`)
  return step
}

describe('copy-certificates in the plan', () => {
  it('join: copies each new member\'s files before its config and its add, paths only', () => {
    const {plan} = tlsMigration('join', true)
    for (const name of ['etcd4', 'etcd5', 'etcd6']) {
      const copy = copyOf(plan, name)
      assert.ok(ids(plan).indexOf(copy.id) < ids(plan).indexOf(`write-config/${name}`))
      assert.ok(ids(plan).indexOf(`write-config/${name}`) < ids(plan).indexOf(`add-learner/${name}`))
      assert.deepEqual(copy.files, ['ca.pem', `${name}.pem`, `${name}-key.pem`, `${name}-peer.pem`, `${name}-peer-key.pem`].map((f) => ({from: `certs/${f}`, to: `/etc/etcd/pki/${f}`})))
    }
    assert.ok(!ids(plan).some((id) => /copy-certificates\/etcd[123]/.test(id)), 'kept or leaving members get no copy')
    // The plan file passes its schema (and the copy step is in it as written).
    assert.deepEqual(copyOf(parsePlan(serialisePlan(plan), 'p.json'), 'etcd4').files, copyOf(plan, 'etcd4').files)
  })

  it('snapshot: copies each target\'s files before its config and its restore', () => {
    const {plan} = tlsMigration('snapshot', true)
    for (const name of ['etcd4', 'etcd5', 'etcd6']) {
      assert.ok(ids(plan).indexOf(copyOf(plan, name).id) < ids(plan).indexOf(`write-config/${name}`))
      assert.ok(ids(plan).indexOf(`write-config/${name}`) < ids(plan).indexOf(`restore-member/${name}`))
    }
  })

  it('the preflight checks the sources with distribute, the host without it', () => {
    const distributed = tlsMigration('join', true).plan.steps[0]!.preconditions
    const check = distributed.find((p) => p.check === 'certificates-valid' && p.member === 'etcd4')
    assert.match(check?.description ?? '', /^etcd4's certificates in distribute\.from certs\/ \(copied to its host before it is added\) .*its server certificate certs\/etcd4\.pem \(key certs\/etcd4-key\.pem, CA certs\/ca\.pem\) covers 127\.0\.2\.1 \(its clientURL\); its peer certificate certs\/etcd4-peer\.pem/)
    // Not on the host yet at preflight: the host is not asked for them.
    assert.ok(!distributed.some((p) => p.check === 'config-files-readable' && p.member === 'etcd4'))

    const onHost = tlsMigration('join', false).plan
    assert.ok(!ids(onHost).some((id) => id.startsWith('copy-certificates/')))
    const hostCheck = onHost.steps[0]!.preconditions.find((p) => p.check === 'certificates-valid' && p.member === 'etcd4')
    assert.match(hostCheck?.description ?? '', /^etcd4's certificates on its host .*its server certificate \/etc\/etcd\/pki\/etcd4\.pem/)
    assert.match(onHost.steps[0]!.preconditions.find((p) => p.check === 'config-files-readable' && p.member === 'etcd4')?.description ?? '', /\/etc\/etcd\/pki\/etcd4-key\.pem/)
  })

  it('a kept member\'s certificates are checked on its host, not copied', () => {
    const source = members('etcd', 1, 3, 1).map(https)
    const {plan} = migration({source, target: [source[0]!, source[1]!, https(members('etcd', 4, 4, 2)[0]!)], dns: false}, withDistribute)
    assert.ok(!ids(plan).includes('copy-certificates/etcd1'))
    assert.ok(ids(plan).includes('copy-certificates/etcd4'))
    const kept = plan.steps[0]!.preconditions.find((p) => p.check === 'certificates-valid' && p.member === 'etcd1')
    assert.match(kept?.description ?? '', /^etcd1's certificates on its host .*server certificate \/etc\/etcd\/pki\/etcd1\.pem .*covers 127\.0\.1\.1/)
    assert.ok(!plan.steps[0]!.preconditions.some((p) => p.check === 'certificates-valid' && p.member === 'etcd3'), 'a leaving member is not checked')
  })

  it('an edited copy step is caught against the spec', () => {
    const {spec, plan} = tlsMigration('join', true)
    const edited: Plan = {...plan, steps: plan.steps.map((s) => (s.kind === 'copy-certificates' && s.member === 'etcd4' ? {...s, files: [{from: '/home/me/other.pem', to: '/etc/etcd/pki/etcd4.pem'}]} : s))}
    assert.deepEqual(planSpecMismatches(plan, spec), [])
    assert.match(planSpecMismatches(edited, spec).join('\n'), /step copy-certificates\/etcd4 copies \/home\/me\/other\.pem → \/etc\/etcd\/pki\/etcd4\.pem; the spec's distribute gives certs\/ca\.pem → /)
  })
})
