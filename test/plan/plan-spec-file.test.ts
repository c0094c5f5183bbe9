import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {planSpecFile} from '../../src/plan/plan-spec-file.js'
import type {Observation} from '../../src/cluster/observation.js'
import {repoRoot} from '../fixtures/repo-root.js'

const runbook = `${repoRoot}/plans/runbook.yaml`

describe('planSpecFile', () => {
  it('plans the runbook spec offline', async () => {
    const result = await planSpecFile(runbook)
    assert.deepEqual(result.diagnostics, [])
    assert.equal(result.plan?.observation.mode, 'offline')
    assert.equal(result.sources.get(runbook)?.includes('apiVersion: etcdplan/v1'), true)
  })

  it('turns a plan the safety rules refuse into error diagnostics located in the spec', async () => {
    // Two learners at once cannot be planned from (etcd allows one): an observation that claims so
    // must be refused, not planned around.
    const twoLearners = (): Observation => ({
      mode: 'live',
      clusterId: '1',
      leaderId: null,
      members: [
        ...[1, 2, 3].map((i) => ({id: String(i), name: `etcd${i}`, peerURLs: [`http://127.0.1.${i}:2380`], clientURLs: [], isLearner: false, started: true})),
        ...[1, 2].map((i) => ({id: String(10 + i), name: `etcd${3 + i}`, peerURLs: [`http://127.0.2.${i}:2380`], clientURLs: [], isLearner: true, started: true})),
      ],
    })
    const result = await planSpecFile(runbook, twoLearners)
    assert.equal(result.plan, null)
    const refusal = result.diagnostics.find((d) => d.code === 'one-learner')
    assert.ok(refusal, JSON.stringify(result.diagnostics))
    assert.equal(refusal.severity, 'error')
    assert.match(refusal.message, /more than one learner/)
    assert.ok(refusal.hint && refusal.hint.length > 0)
    // Located at the spec's target section.
    const targetLine = result.sources.get(runbook)!.split('\n').findIndex((l) => l.startsWith('target:')) + 1
    assert.ok(refusal.line >= targetLine && refusal.line <= targetLine + 1, `line ${refusal.line}, target at ${targetLine}`)
  })
})
