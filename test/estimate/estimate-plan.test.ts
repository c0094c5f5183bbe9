import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {buildPlan} from '../../src/plan/build-plan.js'
import {observeFromSpec} from '../../src/cluster/offline-observation.js'
import type {Observation} from '../../src/cluster/observation.js'
import type {Spec} from '../../src/spec/types.js'
import type {Plan} from '../../src/plan/types.js'
import {healthWindowRule} from '../../src/estimate/health-window-rule.js'
import {parseTransferRate} from '../../src/estimate/transfer-rate.js'
import {renderPlan} from '../../src/render/render-plan.js'
import {renderPlanMarkdown} from '../../src/render/render-plan-markdown.js'
import {buildSpec, members} from '../fixtures/spec-builder.js'

const old3 = members('etcd', 1, 3, 1)
const new3 = members('etcd', 4, 6, 2)
const HASH = 'sha256:' + '0'.repeat(64)

function plan(spec: Spec, observation: Observation = observeFromSpec(spec)): Plan {
  return buildPlan(spec, HASH, observation)
}
const estimateOf = (p: Plan, id: string) => p.steps.find((s) => s.id === id)!.estimate!
/** A live-looking observation of the spec's source, with versions and the leader's DB size. */
function live(spec: Spec, version: string, leaderDbSize: number): Observation {
  const offline = observeFromSpec(spec)
  const membersWithIds = offline.members.map((m, i) => ({...m, id: String(i + 1)}))
  return {...offline, mode: 'live', clusterId: '77', leaderId: '1', members: membersWithIds, versions: {members: membersWithIds.map((m) => ({id: m.id, version})), cluster: '3.4.0', binaries: []}, leaderDbSize}
}

describe('estimates: the 5-s health window', () => {
  it('applies on 3.4 and 3.5 before 3.5.30, not on 3.5.30+', () => {
    assert.equal(healthWindowRule('3.4.23').applies, true)
    assert.equal(healthWindowRule('3.5.16').applies, true)
    assert.equal(healthWindowRule('3.5.30').applies, false)
    assert.equal(healthWindowRule('3.6.11').applies, false)
    assert.equal(healthWindowRule(null).applies, true)
  })

  it('is charged to every add that follows a member start, never to the first add of an old cluster', () => {
    const spec = buildSpec({source: old3, target: new3})
    const p = plan(spec, live(spec, '3.4.23', 1_000_000))
    assert.equal(estimateOf(p, 'add-learner/etcd4').healthWindowMs, undefined)
    assert.ok((estimateOf(p, 'add-learner/etcd5').healthWindowMs ?? 0) > 3000)
    assert.match(estimateOf(p, 'add-learner/etcd6').basis, /5-s health window/)
    assert.equal(p.estimate!.healthWindowMs, estimateOf(p, 'add-learner/etcd5').healthWindowMs! + estimateOf(p, 'add-learner/etcd6').healthWindowMs!)
  })

  it('is not charged on 3.5.30', () => {
    const spec = buildSpec({source: old3, target: new3})
    const p = plan(spec, live(spec, '3.5.30', 1_000_000))
    assert.equal(p.estimate!.healthWindowMs, 0)
    assert.ok(p.estimate!.assumptions.some((a) => a.includes('3.5.30')))
  })
})

describe('estimates: restarts', () => {
  it('charge etcd 3.5\'s graceful stop its ~1 s of peer-listener drain, and 3.4 none', () => {
    const spec = buildSpec({source: old3, target: new3, join: {rollingRestart: true}})
    const on34 = estimateOf(plan(spec, live(spec, '3.4.23', 1_000_000)), 'restart-member/etcd4')
    const on35 = estimateOf(plan(spec, live(spec, '3.5.16', 1_000_000)), 'restart-member/etcd4')
    assert.ok(on35.durationMs! - on34.durationMs! >= 700, `3.5's restart is estimated ${on35.durationMs} ms against 3.4's ${on34.durationMs} ms`)
    assert.match(on35.basis, /peer listener/)
    assert.doesNotMatch(on34.basis, /peer listener/)
  })
})

describe('estimates: catch-up from the DB size', () => {
  it('grows with the leader\'s DB size at the transfer rate, and the spec can set the rate', () => {
    const spec = buildSpec({source: old3, target: new3})
    const small = estimateOf(plan(spec, live(spec, '3.4.23', 1_000_000)), 'wait-caught-up/etcd4').durationMs!
    const big = estimateOf(plan(spec, live(spec, '3.4.23', 1_000_000_000)), 'wait-caught-up/etcd4')
    assert.ok(big.durationMs! - small > 6_000, `1 GB at 150 MB/s is about 6.7 s more than 1 MB: ${big.durationMs} vs ${small}`)
    assert.match(big.basis, /1\.0 GB at 150 MB\/s/)
    const fast = estimateOf(plan({...spec, estimates: {transferRate: '2GB/s'}}, live(spec, '3.4.23', 1_000_000_000)), 'wait-caught-up/etcd4')
    assert.ok(fast.durationMs! < big.durationMs! / 5)
    assert.match(fast.basis, /estimates\.transferRate/)
  })

  it('says so when the DB size is unknown (offline)', () => {
    const p = plan(buildSpec({source: old3, target: new3}))
    assert.match(estimateOf(p, 'wait-caught-up/etcd4').basis, /DB size not observed/)
  })

  it('parses rates and refuses what is not one', () => {
    assert.equal(parseTransferRate('50MB/s'), 50e6)
    assert.equal(parseTransferRate('2 MiB/s'), 2 * 2 ** 20)
    assert.equal(parseTransferRate('fast'), null)
  })
})

describe('estimates: steps the applier runs side by side', () => {
  const snapshotSpec = (provider: 'local' | 'manual'): Spec => {
    const base = buildSpec({source: old3, target: new3, strategy: 'snapshot'})
    return {...base, nodes: {...base.nodes, provider}}
  }
  const ms = (p: Plan, id: string) => estimateOf(p, id).durationMs!
  const longest = (p: Plan, ids: string[]) => Math.max(...ids.map((id) => ms(p, id)))
  const of = (kind: string, names: string[]) => names.map((n) => `${kind}/${n}`)

  it('count a run of a snapshot migration once, by its longest step; the old members\' stops in two waves', () => {
    const p = plan(snapshotSpec('local'), live(snapshotSpec('local'), '3.4.23', 1_000_000_000))
    const alone = ['preflight', 'snapshot-save', 'verify', 'verify-data', 'switch-dns'].reduce((sum, id) => sum + (estimateOf(p, id).durationMs ?? 0), 0)
    const news = ['etcd4', 'etcd5', 'etcd6']
    const expected =
      alone +
      longest(p, of('write-config', news)) +
      longest(p, ['snapshot-verify', ...of('restore-member', news)]) +
      longest(p, of('start-member', news)) +
      longest(p, of('stop-member', ['etcd1', 'etcd2'])) + ms(p, 'stop-member/etcd3') +
      longest(p, of('fence-member', ['etcd1', 'etcd2', 'etcd3']))
    assert.equal(p.estimate!.durationMs, expected)
    const sum = p.steps.reduce((total, step) => total + (step.estimate!.durationMs ?? 0), 0)
    assert.ok(p.estimate!.durationMs < sum - 2 * ms(p, 'restore-member/etcd4'), `three restores of 1 GB side by side count once: ${p.estimate!.durationMs} of ${sum} ms`)
  })

  it('sum every step with the manual provider, which runs one at a time', () => {
    const p = plan(snapshotSpec('manual'), live(snapshotSpec('manual'), '3.4.23', 1_000_000_000))
    assert.equal(p.estimate!.durationMs, p.steps.reduce((total, step) => total + (step.estimate!.durationMs ?? 0), 0))
  })
})

describe('estimates: DNS and client impact', () => {
  it('manual DNS is the operator\'s time: unknown, left out of the total and named', () => {
    const p = plan(buildSpec({source: old3, target: new3}))
    assert.equal(estimateOf(p, 'switch-dns').durationMs, null)
    assert.deepEqual(p.estimate!.unknownSteps, ['switch-dns'])
    const sum = p.steps.reduce((s, step) => s + (step.estimate!.durationMs ?? 0), 0)
    assert.equal(p.estimate!.durationMs, sum)
  })

  it('rfc2136 waits out the TTL, and the old-name window lasts the TTL', () => {
    const base = buildSpec({source: old3, target: new3})
    const spec: Spec = {...base, dns: {name: 'etcd.test.internal', verify: true, switch: {via: 'rfc2136', rfc2136: {server: '127.0.0.1', zone: 'test.internal', keyFile: 'k', ttl: 30}}}}
    const e = estimateOf(plan(spec), 'switch-dns')
    assert.ok(e.durationMs! >= 30_000)
    assert.deepEqual(e.impact.map((i) => [i.kind, 'durationMs' in i ? i.durationMs : null]), [['old-name-window', 30_000]])
  })

  it('names leader changes and dropped connections where they happen', () => {
    const p = plan(buildSpec({source: old3, target: new3}))
    assert.deepEqual(estimateOf(p, 'move-leader/etcd1').impact.map((i) => i.kind), ['leader-change'])
    assert.deepEqual(estimateOf(p, 'remove-member/etcd1').impact.map((i) => i.kind), ['connection-drop'])
    assert.deepEqual(estimateOf(p, 'restart-member/etcd4').impact.map((i) => i.kind), ['connection-drop'])
    assert.deepEqual(estimateOf(p, 'add-learner/etcd4').impact, [])
  })
})

describe('estimates: rendered', () => {
  const p = plan(buildSpec({source: old3, target: new3}))
  it('text: a figure per step and the total line with the 5-s windows', () => {
    const text = renderPlan(p, {colour: false})
    assert.match(text, /add-learner\/etcd5 .* ~\d+(\.\d)? s/)
    assert.match(text, /Estimated duration: about \d+ s \(of which \d+(\.\d)? s etcd's 5-s windows\), plus the operator's time for switch-dns/)
    assert.match(text, /clients: leadership moves away from etcd1/)
  })
  it('markdown: an estimate column, the total and what it is made of', () => {
    const md = renderPlanMarkdown(p)
    assert.match(md, /\| tolerates \| estimate \| what \|/)
    assert.match(md, /\*\*Estimated duration: about/)
    assert.match(md, /`wait-caught-up\/etcd4`: about/)
  })
})
