import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {median, percentile, spread} from '../../lab/bench/stats.js'

describe('bench statistics', () => {
  it('p99 is the nearest rank: a latency some put really had, the 99th of 100', () => {
    const latencies = Array.from({length: 100}, (_, i) => i + 1).reverse()
    assert.equal(percentile(latencies, 99), 99)
    assert.equal(percentile(latencies, 100), 100)
    // One slow put among 1000 stays out of the p99 but not out of the max.
    const mostlyFast = [...Array.from({length: 999}, () => 20), 5000]
    assert.equal(percentile(mostlyFast, 99), 20)
    // Among 50 puts the p99 rank is the last one: a single outlier is the p99.
    assert.equal(percentile([...Array.from({length: 49}, () => 20), 900], 99), 900)
  })

  it('refuses a percentile outside (0, 100] and answers NaN for no values', () => {
    assert.throws(() => percentile([1], 0), /p must be in \(0, 100\]/)
    assert.throws(() => percentile([1], 101), /p must be in/)
    assert.ok(Number.isNaN(percentile([], 99)))
  })

  it('median of odd and even counts; spread shows median (min–max)', () => {
    assert.equal(median([3, 1, 2]), 2)
    assert.equal(median([4, 1, 2, 3]), 2.5)
    assert.equal(spread([3000, 1000, 2000], (n) => (n / 1000).toFixed(1)), '2.0 (1.0–3.0)')
    assert.equal(spread([1500], (n) => (n / 1000).toFixed(1)), '1.5')
    assert.equal(spread([], String), '–')
  })
})
