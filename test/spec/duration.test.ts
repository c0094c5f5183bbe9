import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {parseDuration} from '../../src/spec/duration.js'

describe('parseDuration (Go time.ParseDuration syntax)', () => {
  const valid: [string, number][] = [
    ['10m', 600_000],
    ['60s', 60_000],
    ['2m', 120_000],
    ['1m30s', 90_000],
    ['2h', 7_200_000],
    ['1h30m', 5_400_000],
    ['500ms', 500],
    ['1.5s', 1500],
    ['.5s', 500],
    ['1500us', 1.5],
    ['2000000ns', 2],
    ['3µs', 0.003],
    ['1h1m1s1ms', 3_661_001],
  ]
  for (const [text, ms] of valid) {
    it(`${text} = ${ms} ms`, () => assert.deepEqual(parseDuration(text), {ok: true, ms}))
  }

  const invalid: [string, RegExp][] = [
    ['', /empty/],
    ['10', /10 has no unit/],
    ['10 minutes', /unknown unit "minutes"/],
    ['10 m', /must not contain spaces/],
    ['5d', /unknown unit "d"/],
    ['-5s', /must not have a sign/],
    ['+5s', /must not have a sign/],
    ['0s', /longer than 0/],
    ['s', /not a number followed by a unit/],
    ['1m30', /30 has no unit/],
    ['1..5s', /1\. has no unit/],
  ]
  for (const [text, reason] of invalid) {
    it(`"${text}" is refused`, () => {
      const result = parseDuration(text)
      assert.equal(result.ok, false)
      if (!result.ok) assert.match(result.reason, reason)
    })
  }
})
