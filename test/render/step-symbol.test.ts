import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import type {Step, StepKind} from '../../src/plan/types.js'
import {classifyStep, symbolizeAction, symbolizeStep} from '../../src/render/step-symbol.js'
import {buildPlanFixture} from './plan-fixture.js'

// A Record over StepKind: a new step kind fails to compile here until its symbol is pinned.
const expected: Record<StepKind, string> = {
  'copy-certificates': '+',
  'write-config': '+',
  'add-learner': '+',
  'add-member': '+',
  'start-member': '+',
  'restore-member': '+',
  'remove-member': '-',
  'stop-member': '-',
  'fence-member': '-',
  promote: '~',
  'rewrite-config': '~',
  'restart-member': '~',
  'move-leader': '~',
  'switch-dns': '~',
  preflight: '<=',
  'wait-caught-up': '<=',
  verify: '<=',
  'snapshot-save': '<=',
  'snapshot-verify': '<=',
  'verify-data': '<=',
}

describe('step symbols', () => {
  for (const [kind, symbol] of Object.entries(expected)) {
    it(`${kind} is ${symbol}`, () => {
      // Only the kind decides the symbol, so a bare step of that kind is enough.
      const step = {...buildPlanFixture().steps[0]!, kind} as Step
      assert.equal(symbolizeStep(step), symbol)
    })
  }

  it('classifies the fixture plan as terraform would', () => {
    const actions = buildPlanFixture().steps.map((s) => `${s.id}:${classifyStep(s)}`)
    assert.deepEqual(actions.slice(0, 3), ['preflight:read', 'write-config/etcd4:add', 'add-learner/etcd4:add'])
  })

  it('gives kept members no symbol', () => {
    assert.equal(symbolizeAction('keep'), '')
    assert.equal(symbolizeAction('change'), '~')
  })
})
