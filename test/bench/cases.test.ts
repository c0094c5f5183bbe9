import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {allCases, selectCases} from '../../lab/bench/cases.js'
import {parseArgs} from '../../lab/bench/options.js'
import {batchSizeFor, pageSizeFor} from '../../lab/load-keys.js'

describe('bench cases and flags', () => {
  it('runs join and snapshot at 20k and 300m on both versions by default; 1g only with --large', () => {
    assert.deepEqual(selectCases(null, false).map((c) => c.id), ['join-20k-3.4', 'join-20k-3.5', 'snapshot-20k-3.4', 'snapshot-20k-3.5', 'join-300m-3.4', 'join-300m-3.5', 'snapshot-300m-3.4', 'snapshot-300m-3.5'])
    assert.equal(selectCases(null, true).length, allCases().length)
    assert.ok(selectCases(null, true).some((c) => c.id === 'snapshot-1g-3.5'))
  })

  it('--cases picks cases by id, large ones too, and names the known ones for a typo', () => {
    assert.deepEqual(selectCases('join-1g-3.5, snapshot-20k-3.4', false).map((c) => c.id), ['snapshot-20k-3.4', 'join-1g-3.5'])
    assert.throws(() => selectCases('join-20k-3.6', false), /no case join-20k-3\.6; the cases are join-20k-3\.4, /)
    assert.throws(() => selectCases(',', false), /at least one case/)
  })

  it('the contenders: three scripts-or-etcdplan for a join, by hand against etcdplan for a snapshot', () => {
    const [join, snapshot] = [allCases().find((c) => c.id === 'join-20k-3.4')!, allCases().find((c) => c.id === 'snapshot-20k-3.4')!]
    assert.deepEqual(join.contenders, ['runbook', 'expert', 'etcdplan'])
    assert.deepEqual(snapshot.contenders, ['by-hand', 'etcdplan-snapshot'])
  })

  it('parses the flags and refuses unknown ones with the usage', () => {
    const options = parseArgs(['--cases', 'join-20k-3.4', '--rounds', '2', '--large', '--out', '/tmp/x.json'])
    assert.equal(options.cases, 'join-20k-3.4')
    assert.equal(options.rounds, 2)
    assert.equal(options.large, true)
    assert.equal(options.out, '/tmp/x.json')
    assert.equal(parseArgs([]).rounds, null)
    assert.throws(() => parseArgs(['--round', '2']), /unknown argument --round\nusage: npm run bench/)
    assert.throws(() => parseArgs(['--rounds', '0']), /--rounds must be a whole number ≥ 1, not 0/)
    assert.throws(() => parseArgs(['--cases']), /--cases needs a value/)
  })

  it("loads big values in transactions under etcd's 1.5 MiB request limit and reads them under gRPC's 4 MiB", () => {
    assert.equal(batchSizeFor(1024), 100)
    assert.ok(batchSizeFor(64 * 1024) * 64 * 1024 < 1.5 * 1024 * 1024)
    assert.ok(batchSizeFor(64 * 1024) >= 20)
    assert.equal(pageSizeFor(1024), 1000)
    assert.ok(pageSizeFor(64 * 1024) * 64 * 1024 < 4 * 1024 * 1024)
  })
})
