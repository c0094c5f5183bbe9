import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {readdir, readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {buildPlan} from '../../src/plan/build-plan.js'
import {observeFromSpec} from '../../src/cluster/offline-observation.js'
import {parsePlan, readPlanFile, serialisePlan, writePlanFile, PlanFileError} from '../../src/plan/plan-file.js'
import {PLAN_FORMAT_VERSION} from '../../src/plan/types.js'
import {buildSpec, members} from '../fixtures/spec-builder.js'
import {tempDir} from '../fixtures/temp-dir.js'

const spec = buildSpec({source: members('etcd', 1, 3, 1), target: members('etcd', 4, 6, 2)})
const plan = buildPlan(spec, 'sha256:' + 'a'.repeat(64), observeFromSpec(spec))
const text = serialisePlan(plan)

function refusal(input: string, code: PlanFileError['code'], message: RegExp) {
  assert.throws(
    () => parsePlan(input, 'p.json'),
    (error: unknown) => error instanceof PlanFileError && error.code === code && message.test(error.message) && typeof error.hint === 'string',
  )
}

describe('plan file', () => {
  it('round-trips: what is written reads back equal, frozen', async () => {
    const dir = tempDir('etcdplan-')
    const file = join(dir, 'x.plan.json')
    await writePlanFile(file, plan)
    assert.equal(await readFile(file, 'utf8'), text)
    const read = await readPlanFile(file)
    assert.deepEqual(read, plan)
    assert.ok(Object.isFrozen(read) && Object.isFrozen(read.steps[0]))
  })

  it('holds no timestamps: the same inputs give the same bytes', () => {
    assert.equal(serialisePlan(buildPlan(spec, 'sha256:' + 'a'.repeat(64), observeFromSpec(spec))), text)
    assert.doesNotMatch(text, /20\d\d-\d\d-\d\dT/)
  })

  it('refuses a hand-edited plan (content hash mismatch)', () => {
    refusal(text.replace('"catchUpTolerance": 100', '"catchUpTolerance": 5'), 'plan-hash-mismatch', /changed after it was made/)
    refusal(text.replace('add-learner/etcd5', 'add-member/etcd5'), 'plan-hash-mismatch', /content hash/)
  })

  it('refuses an unknown format version', () => {
    const current = `"formatVersion": ${PLAN_FORMAT_VERSION}`
    refusal(text.replace(current, `"formatVersion": ${PLAN_FORMAT_VERSION + 1}`), 'plan-format-version', new RegExp(`version ${PLAN_FORMAT_VERSION + 1} is not supported`))
    // A plan of an earlier format: made again, not half-read.
    refusal(text.replace(current, '"formatVersion": 2'), 'plan-format-version', new RegExp(`plan format version 2 is not supported \\(this etcdplan reads version ${PLAN_FORMAT_VERSION}\\)`))
    refusal('{"name": "x"}', 'plan-format-version', /no formatVersion/)
    // A check with no gate in this version, even in a plan whose hash matches: refused by name before the schema.
    const unknown = JSON.parse(text) as {steps: {preconditions: {check: string; description: string}[]}[]}
    unknown.steps[2]!.preconditions.push({check: 'disk-fast', description: 'the disk is fast'})
    refusal(JSON.stringify(unknown), 'plan-unknown-check', /step add-learner\/etcd4 needs the check "disk-fast", which this version of etcdplan does not know \(it knows cluster-matches-plan, voters-healthy, /)
  })

  it('refuses non-JSON, truncated and schema-breaking files', () => {
    refusal('not json', 'plan-not-json', /not a plan file/)
    refusal(text.slice(0, text.length / 2), 'plan-not-json', /not a plan file/)
    // Cut between two tokens or inside a string: either way the message says where, as line and column.
    const afterFirstColon = text.slice(0, text.indexOf(':') + 1)
    refusal(afterFirstColon, 'plan-not-json', new RegExp(`Unexpected end of JSON input at position ${afterFirstColon.length}, line 2 column \\d+\\)`))
    refusal(text.slice(0, text.indexOf('"', text.indexOf(':')) + 2), 'plan-not-json', /Unterminated string in JSON at position \d+, line \d+ column \d+/)
    const value = JSON.parse(text)
    value.steps[2].kind = 'teleport'
    refusal(JSON.stringify(value), 'plan-schema', /does not match its schema at \/steps\/2/)
    delete value.steps
    refusal(JSON.stringify(value), 'plan-schema', /schema/)
  })

  it('says what to do when the plan cannot be written, and leaves no temporary file', async () => {
    await assert.rejects(writePlanFile('/nonexistent/dir/x.plan.json', plan), (e: unknown) => e instanceof PlanFileError && e.code === 'plan-unwritable' && /directory does not exist/.test(e.message))
    const dir = tempDir('etcdplan-')
    await assert.rejects(writePlanFile(dir, plan), (e: unknown) => e instanceof PlanFileError && e.code === 'plan-unwritable')
    assert.deepEqual(await readdir(dir), [])
  })

  it('says so when the file is missing', async () => {
    await assert.rejects(readPlanFile('/nonexistent/x.plan.json'), (e: unknown) => e instanceof PlanFileError && e.code === 'plan-unreadable' && /no such file/.test(e.message))
  })

  it('holds paths, never key material', async () => {
    const peerTLS = {ca: 'certs/ca.pem', cert: 'certs/peer.pem', key: 'certs/peer-key.pem', clientCertAuth: true}
    const withTls = buildSpec({source: members('etcd', 1, 3, 1), target: members('etcd', 4, 6, 2).map((m) => ({...m, peerTLS}))})
    const dir = tempDir('etcdplan-')
    await writeFile(join(dir, 'k'), 'x')
    const out = serialisePlan(buildPlan(withTls, 'sha256:' + 'a'.repeat(64), observeFromSpec(withTls)))
    assert.match(out, /key-file: certs\/peer-key.pem/)
    assert.doesNotMatch(out, /BEGIN [A-Z ]*PRIVATE KEY/)
  })
})
