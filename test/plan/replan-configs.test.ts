// Re-planning mid-migration keeps the whole plan: the configs found on the hosts of members that joined
// in an earlier apply are compared with what the target's configs must be, and those that differ are
// rewritten and their members restarted; "no changes" only when the configs match too. Source
// members' configs are the operator's and are never read or rewritten.
import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {buildPlan} from '../../src/plan/build-plan.js'
import {checkPlanSafety} from '../../src/plan/check-plan-safety.js'
import {renderEtcdConfig} from '../../src/plan/etcd-config.js'
import {sameEtcdConfig} from '../../src/plan/same-etcd-config.js'
import {readJoinedConfigs} from '../../src/nodes/read-joined-configs.js'
import type {LiveCluster} from '../../src/cluster/live-cluster.js'
import type {Observation, ObservedConfig} from '../../src/cluster/observation.js'
import type {MemberSpec, Spec} from '../../src/spec/types.js'
import type {Plan} from '../../src/plan/types.js'
import {buildSpec, members} from '../fixtures/spec-builder.js'
import {FakeNodeProvider} from '../fixtures/fake-node-provider.js'

const old3 = members('etcd', 1, 3, 1)
const new3 = members('etcd', 4, 6, 2)
const spec = buildSpec({source: old3, target: new3})
const initial = (list: readonly MemberSpec[]) => list.map((m) => `${m.name}=${m.peerURL}`).join(',')
const configOf = (member: MemberSpec, cluster: readonly MemberSpec[], state: 'new' | 'existing' = 'existing') => renderEtcdConfig({member, spec, initialCluster: initial(cluster), initialClusterState: state}).content

function live(listed: readonly MemberSpec[], configs: readonly ObservedConfig[]): Observation {
  return {
    mode: 'live',
    clusterId: '1234',
    leaderId: '4',
    members: listed.map((m) => ({id: String(Number(m.name.slice(4))), name: m.name, peerURLs: [m.peerURL], clientURLs: [m.clientURL], isLearner: false, started: true})),
    configs,
  }
}

const plan = (observation: Observation, s: Spec = spec): Plan => buildPlan(s, 'sha256:' + '0'.repeat(64), observation)
const ids = (p: Plan) => p.steps.map((s) => s.id)

describe('re-planning a migration stopped before its config rewrites', () => {
  // Stopped at the DNS step: all six are voters, the new members' configs are the ones their join wrote.
  const joinedWith = new3.map((m, i) => ({member: m.name, path: m.configFile, content: configOf(m, [...old3, ...new3.slice(0, i + 1)])}))

  it('keeps the rewrites and the rolling restart of the members that joined before', () => {
    const p = plan(live([...old3, ...new3], joinedWith))
    for (const name of ['etcd4', 'etcd5', 'etcd6']) {
      assert.ok(ids(p).includes(`rewrite-config/${name}`), ids(p).join(', '))
      assert.ok(ids(p).includes(`restart-member/${name}`), ids(p).join(', '))
    }
    assert.ok(ids(p).indexOf('remove-member/etcd3') < ids(p).indexOf('rewrite-config/etcd4'))
    const rewrite = p.steps.find((s) => s.id === 'rewrite-config/etcd4')
    assert.ok(rewrite?.kind === 'rewrite-config')
    assert.equal(rewrite.previous.content, joinedWith[0]!.content)
    assert.match(rewrite.config.content, new RegExp(`^initial-cluster: ${initial(new3)}$`, 'm'))
    assert.match(rewrite.preconditions[0]!.description, /still holds what was found there when this plan was made/)
    assert.deepEqual(p.observation.configs.map((c) => c.member), ['etcd4', 'etcd5', 'etcd6'])
    assert.deepEqual(checkPlanSafety(p), [])
  })

  it('after the migration: no changes when the configs on disk are the target ones, whatever order initial-cluster lists them in', () => {
    const final = new3.map((m) => ({member: m.name, path: m.configFile, content: configOf(m, [...new3].reverse())}))
    assert.deepEqual(ids(plan(live(new3, final))), [])
  })

  it('after the migration: a config still naming removed members is rewritten and its member restarted, the others left alone', () => {
    const found = new3.map((m, i) => ({member: m.name, path: m.configFile, content: i === 1 ? joinedWith[1]!.content : configOf(m, new3)}))
    const p = plan(live(new3, found))
    assert.deepEqual(ids(p).filter((id) => id.startsWith('rewrite-config/') || id.startsWith('restart-member/')), ['rewrite-config/etcd5', 'restart-member/etcd5'])
    assert.equal(p.summary.change, 1)
    assert.equal(ids(p).at(-1), 'verify')
  })

  it('a config file missing on its host is written again and its member restarted', () => {
    const found = new3.map((m, i) => ({member: m.name, path: m.configFile, content: i === 0 ? null : configOf(m, new3)}))
    const p = plan(live(new3, found))
    assert.deepEqual(ids(p).filter((id) => id.includes('etcd4')), ['write-config/etcd4', 'move-leader/etcd4', 'restart-member/etcd4'])
  })

  it('an offline plan reads no configs and plans as before', () => {
    const p = plan({mode: 'offline', clusterId: null, leaderId: null, members: live(new3, []).members.map((m) => ({...m, id: null}))})
    assert.deepEqual(ids(p), [])
  })
})

describe('sameEtcdConfig', () => {
  it('ignores comments, key order and the order of initial-cluster; sees any changed value', () => {
    const a = 'name: a\ninitial-cluster: a=http://1,b=http://2\ndata-dir: /d\n'
    assert.equal(sameEtcdConfig('# by hand\ndata-dir: /d\nname: a\ninitial-cluster: b=http://2,a=http://1\n', a), true)
    assert.equal(sameEtcdConfig('name: a\ninitial-cluster: a=http://1\ndata-dir: /d\n', a), false)
    assert.equal(sameEtcdConfig('name: a\ninitial-cluster: a=http://1,b=http://2\ndata-dir: /e\n', a), false)
    assert.equal(sameEtcdConfig('name: [unclosed', a), false)
  })
})

describe('readJoinedConfigs', () => {
  it('reads the configs of target members the cluster lists as started, never a source member\'s', async () => {
    const keep = old3[0]!
    const s = buildSpec({source: old3, target: [keep, ...new3.slice(0, 2)]})
    const provider = new FakeNodeProvider()
    for (const m of [...old3, ...new3]) provider.configs.set(m.configFile, `name: ${m.name}\n`)
    const cluster = {...(live([...old3, new3[0]!], []) as LiveCluster), statuses: [], alarms: [], answeredBy: keep.clientURL}
    const configs = await readJoinedConfigs(s, cluster, provider)
    // etcd5 is in the target but not yet a member; etcd1 is kept from the source: neither is read.
    assert.deepEqual(configs, [{member: 'etcd4', path: new3[0]!.configFile, content: 'name: etcd4\n'}])
    assert.deepEqual(provider.calls.map((c) => [c.method, c.member]), [['readConfig', 'etcd4']])
  })
})
