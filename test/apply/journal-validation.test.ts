// Without a cluster: what `apply` refuses before it touches anything, and in whose words. The journal
// (readJournal) says which of empty / not JSON / not a journal / a plan / another format version /
// corrupt field it is, and a directory or a path under a file is named as such; a journal is trusted
// for a plan only when its steps are that plan's (checkJournalMatchesPlan). A plan file (parsePlan)
// says empty, binary, not an object, a journal, or not valid JSON with a line and column, never
// quoting garbage; isPlanFile sends every broken `.json` to the plan reader. A plan whose content
// hash was recomputed after an edit still has to agree with its spec (planSpecMismatches), which
// every plan the planner makes does.
import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import fc from 'fast-check'
import {hashOf} from '../../src/canonical-json.js'
import type {Observation} from '../../src/cluster/observation.js'
import {observeFromSpec} from '../../src/cluster/offline-observation.js'
import {checkJournalMatchesPlan, JournalError, newJournal, readJournal, writeJournal, type Journal} from '../../src/apply/journal.js'
import {isPlanFile} from '../../src/apply/apply-input-kind.js'
import {loadPlanFileWithSpec} from '../../src/apply/load-applied-plan.js'
import {planSpecMismatches} from '../../src/apply/plan-spec-mismatches.js'
import {buildPlan} from '../../src/plan/build-plan.js'
import {parsePlan, PlanFileError, serialisePlan, writePlanFile} from '../../src/plan/plan-file.js'
import {planSpecFile} from '../../src/plan/plan-spec-file.js'
import {UnsafePlanError} from '../../src/plan/unsafe-plan-error.js'
import type {Plan, Step} from '../../src/plan/types.js'
import type {MemberSpec, Spec} from '../../src/spec/types.js'
import {UserError} from '../../src/user-error.js'
import {namedMembers, writeMigrationSpec} from '../../lab/migration-spec.js'
import {repoRoot} from '../fixtures/repo-root.js'
import {buildSpec, member, members} from '../fixtures/spec-builder.js'
import {tempDir} from '../fixtures/temp-dir.js'

const SPEC_HASH = `sha256:${'a'.repeat(64)}`
const spec = buildSpec({source: members('etcd', 1, 3, 1), target: members('etcd', 4, 6, 2)})
const plan = buildPlan(spec, SPEC_HASH, observeFromSpec(spec))
const dir = tempDir('etcdplan-journal-validation-')

/** The plan as a hand (or a script) would leave it after editing it and recomputing the content hash. */
function rehashed(edit: (body: Record<string, any>) => void, from: Plan = plan): Plan {
  const {contentHash: _, ...body} = structuredClone(from) as Plan & Record<string, any>
  edit(body)
  return {...body, contentHash: hashOf(body)} as Plan
}

let fileCount = 0
function fileWith(content: string | Buffer, name = `f${++fileCount}.json`): string {
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}

async function journalRefusal(path: string, message: RegExp, hint: RegExp): Promise<void> {
  await assert.rejects(readJournal(path), (error: unknown) => {
    assert.ok(error instanceof JournalError, `not a JournalError: ${String(error)}`)
    assert.match(error.message, message)
    assert.match(error.hint ?? '', hint)
    return true
  })
}

describe('readJournal refuses what it cannot trust, saying what it is', () => {
  const valid = newJournal(plan, new Date('2025-01-01T00:00:00Z'))
  const journalText = (change: (j: Record<string, any>) => void) => {
    const j = structuredClone(valid) as unknown as Record<string, any>
    change(j)
    return JSON.stringify(j, null, 2)
  }

  it('reads back what writeJournal wrote, and null when there is none', async () => {
    const path = join(dir, 'ok', 'state.json')
    await writeJournal(path, valid)
    assert.deepEqual(await readJournal(path), valid)
    assert.equal(await readJournal(join(dir, 'none', 'state.json')), null)
  })

  it('empty or not JSON: corrupt, move it aside', async () => {
    await journalRefusal(fileWith(''), /is empty/, /move it aside/)
    await journalRefusal(fileWith(journalText(() => {}).slice(0, 100)), /not valid JSON \(corrupt or edited\)/, /move it aside/)
  })

  it('another program\'s JSON, or an array: not an etcdplan journal, naming its kind', async () => {
    await journalRefusal(fileWith('{"kind": "terraform-state", "version": 4}'), /not an etcdplan journal \(its kind is "terraform-state"/, /pass --state/)
    await journalRefusal(fileWith('{"serial": 3}'), /not an etcdplan journal \(it has no "kind": "etcdplan-journal"\)/, /pass --state/)
    await journalRefusal(fileWith('[1, 2]'), /not an etcdplan journal \(it holds a JSON array/, /pass --state/)
  })

  it('a plan file given as the journal is called a plan file', async () => {
    await journalRefusal(fileWith(serialisePlan(plan)), /is a plan file, not a journal/, /--state/)
  })

  it('another journal format version is named, with what to do', async () => {
    await journalRefusal(fileWith(journalText((j) => (j.formatVersion = 2))), /journal format version 2; this etcdplan reads journal format version 1/, /etcdplan version that wrote/)
    await journalRefusal(fileWith(journalText((j) => delete j.formatVersion)), /journal format version null/, /move the journal aside/)
  })

  it('a corrupt or edited field is named', async () => {
    const cases: Array<[(j: Record<string, any>) => void, RegExp]> = [
      [(j) => (j.steps[3].status = 'skipped'), /step start-member\/etcd4 has status "skipped", not one of pending, running, done/],
      [(j) => (j.steps[2].id = j.steps[1].id), /step write-config\/etcd4 is listed twice/],
      [(j) => (j.steps[0].attempts = -1), /step preflight has attempts -1, not a count/],
      [(j) => (j.steps[0].attempts = '1'), /step preflight has attempts "1", not a count/],
      [(j) => (j.steps[1] = 'done'), /steps\[1\] is "done", not a step record/],
      [(j) => (j.steps = {}), /steps is \{\}, not a list/],
      [(j) => (j.status = 'finished'), /status is "finished", not one of in-progress/],
      [(j) => delete j.planHash, /planHash is missing, not a string/],
      [(j) => (j.updatedAt = 17), /updatedAt is 17, not a string/],
      [(j) => (j.memberIds = {etcd4: 1234}), /memberIds is not a map of member names to IDs/],
      [(j) => (j.steps[5].error = {code: 1}), /step promote\/etcd4 has error \{"code":1\}, not a string or null/],
    ]
    for (const [change, message] of cases) await journalRefusal(fileWith(journalText(change)), new RegExp(`corrupt or edited: ${message.source}`), /move it aside/)
  })

  it('a directory, or a path under a regular file, is named as such', async () => {
    const directory = join(dir, 'journal-dir.json')
    mkdirSync(directory)
    await journalRefusal(directory, /the journal .*journal-dir\.json is a directory, not a file/, /pass --state with the path of a journal file/)
    const file = fileWith('x', 'a-regular-file')
    await journalRefusal(join(file, 'sub', 'state.json'), new RegExp(`cannot keep the journal at .*: ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is a file, not a directory`), /--state/)
  })
})

describe('checkJournalMatchesPlan: a journal naming the plan must have exactly its steps', () => {
  const journal = newJournal(plan, new Date('2025-01-01T00:00:00Z'))
  const refusal = (j: Journal, message: RegExp) =>
    assert.throws(() => checkJournalMatchesPlan(j, plan, 'state.json'), (error: unknown) => {
      assert.ok(error instanceof JournalError)
      assert.match(error.message, /^the journal state\.json does not match the plan it names: /)
      assert.match(error.message, message)
      assert.match(error.hint ?? '', /move the journal aside and run `etcdplan plan`/)
      return true
    })

  it('accepts the plan\'s own journal, at any progress', () => {
    checkJournalMatchesPlan(journal, plan, 'state.json')
    checkJournalMatchesPlan({...journal, steps: journal.steps.map((s, i) => (i < 4 ? {...s, status: 'done', attempts: 1} : s))}, plan, 'state.json')
  })

  it('refuses other step ids, a step missing or added, and steps in another order', () => {
    refusal({...journal, steps: journal.steps.map((s) => ({...s, id: s.id.replace('etcd4', 'etcd9')}))}, /step 2 is write-config\/etcd9 in the journal, write-config\/etcd4 in the plan/)
    refusal({...journal, steps: journal.steps.slice(0, -1)}, /it has 38 steps, the plan 39/)
    refusal({...journal, steps: [...journal.steps, {...journal.steps[0]!, id: 'extra'}]}, /it has 40 steps, the plan 39/)
    const swapped = [...journal.steps]
    ;[swapped[2], swapped[3]] = [swapped[3]!, swapped[2]!]
    refusal({...journal, steps: swapped}, /step 3 is start-member\/etcd4 in the journal, add-learner\/etcd4 in the plan/)
  })

  it('refuses another plan hash, migration or spec hash', () => {
    refusal({...journal, planHash: 'sha256:0'}, /it records plan sha256:0, not sha256:/)
    refusal({...journal, name: 'other'}, /it is for migration "other", the plan for "test-migration"/)
    refusal({...journal, specHash: 'sha256:1'}, /it records spec sha256:1/)
  })
})

describe('parsePlan says what a broken plan file is, never quoting garbage', () => {
  const refusal = (input: string, code: PlanFileError['code'], message: RegExp) =>
    assert.throws(() => parsePlan(input, 'p.json'), (error: unknown) => {
      assert.ok(error instanceof PlanFileError, String(error))
      assert.equal(error.code, code)
      assert.match(error.message, message)
      assert.match(error.hint ?? '', /etcdplan plan -o FILE/)
      return true
    })
  const text = serialisePlan(plan)

  it('empty, blank', () => {
    refusal('', 'plan-not-json', /^p\.json: not a plan file: the file is empty$/)
    refusal(' \n\t\n', 'plan-not-json', /the file is empty/)
  })

  it('binary: says so, without echoing the bytes', () => {
    const garbage = Buffer.from(Array.from({length: 512}, (_, i) => (i * 37) % 256)).toString('utf8')
    assert.throws(() => parsePlan(garbage, 'p.json'), (error: unknown) => {
      assert.ok(error instanceof PlanFileError)
      assert.equal(error.message, 'p.json: not a plan file: it holds binary data, not JSON text')
      return true
    })
  })

  it('truncated: not valid JSON, with line and column, and no excerpt of the input', () => {
    const cut = text.slice(0, 400)
    refusal(cut, 'plan-not-json', /not valid JSON, truncated or corrupt \(.* in JSON at position 400, line \d+ column \d+\)$/)
    refusal('plan: yes', 'plan-not-json', /not valid JSON, truncated or corrupt \(Unexpected token 'p'\)$/)
  })

  it('an array or a bare value is not a plan object', () => {
    refusal('[1, 2, 3]', 'plan-not-json', /it holds a JSON array, not a plan object/)
    refusal('42', 'plan-not-json', /it holds the JSON value 42, not a plan object/)
  })

  it('a journal given as the plan is called a journal', () => {
    refusal(JSON.stringify(newJournal(plan, new Date())), 'plan-wrong-kind', /not a plan file: it is an apply journal \(state\.json\)/)
  })

  it('no formatVersion: names the format version', () => {
    const value = JSON.parse(text) as Record<string, unknown>
    delete value.formatVersion
    refusal(JSON.stringify(value), 'plan-format-version', /no formatVersion: every plan file records the plan format version/)
  })
})

describe('isPlanFile: what apply reads as a plan', () => {
  const cases: Array<[string, string | null, boolean]> = [
    ['missing.json', null, true],
    ['missing.yaml', null, false],
    ['empty.json', '', true],
    ['blank.yaml', '', false],
    ['array.json', '[1]', true],
    ['truncated.json', '{"formatVersion": 1, "na', true],
    ['truncated-plan', '{"formatVersion": 1, "na', true],
    ['flow.yaml', '{apiVersion: etcdplan/v1, kind: Migration}', false],
    ['no-version.json', '{"name": "x", "steps": []}', true],
    ['no-version.plan', '{"name": "x", "steps": [], "contentHash": "x"}', true],
    ['journal.json', '{"kind": "etcdplan-journal"}', true],
    ['spec-as-json.json', '{"apiVersion": "etcdplan/v1", "kind": "Migration"}', false],
    ['plan.txt', '{"formatVersion": 1}', true],
    ['spec.yaml', 'apiVersion: etcdplan/v1\nkind: Migration\n', false],
    ['etcdplan.conf', 'apiVersion: etcdplan/v1\n', false],
  ]
  for (const [name, content, expected] of cases) {
    it(`${name}${content === null ? ' (missing)' : ''} → ${expected ? 'plan' : 'spec'}`, async () => {
      const path = content === null ? join(dir, `absent-${name}`) : fileWith(content, name)
      assert.equal(await isPlanFile(path), expected)
    })
  }
  it('a binary .json and a directory named .json are plans gone wrong', async () => {
    assert.equal(await isPlanFile(fileWith(Buffer.from([0, 1, 2, 255, 254]), 'garbage.json')), true)
    mkdirSync(join(dir, 'plan-dir.json'))
    assert.equal(await isPlanFile(join(dir, 'plan-dir.json')), true)
  })
})

describe('planSpecMismatches: every plan the planner makes agrees with its spec', () => {
  const hostOf = (rack: number, i: number) => `127.0.${rack}.${i + 1}`
  const arbitraryMigration = fc.record({
    sourceSize: fc.integer({min: 1, max: 5}),
    targetSize: fc.integer({min: 1, max: 5}),
    keptWanted: fc.integer({min: 0, max: 5}),
    learner: fc.boolean(),
    order: fc.constantFrom('add-first' as const, 'one-for-one' as const),
    finalState: fc.constantFrom('existing' as const, 'new' as const),
    rollingRestart: fc.boolean(),
    dns: fc.boolean(),
    snapshot: fc.boolean(),
    extras: fc.boolean(),
    tls: fc.boolean(),
    // Mid-migration: how many target members the live cluster already has, and in what state; a stray member.
    joined: fc.integer({min: 0, max: 3}),
    joinedAs: fc.constantFrom('unstarted-learner', 'learner', 'voter'),
    stray: fc.boolean(),
    leader: fc.integer({min: 0, max: 4}),
  })

  it('for random migrations, offline and live mid-migration (join and snapshot, extras and TLS)', () => {
    let checked = 0
    fc.assert(
      fc.property(arbitraryMigration, (m) => {
        const kept = Math.min(m.keptWanted, m.sourceSize, m.targetSize)
        const withExtras = (x: MemberSpec): MemberSpec => (m.extras ? {...x, config: {'heartbeat-interval': 200, 'quota-backend-bytes': 8589934592}} : x)
        const source = Array.from({length: m.sourceSize}, (_, i) => withExtras(member(`old${i + 1}`, hostOf(1, i))))
        const fresh = Array.from({length: m.targetSize - kept}, (_, i) => withExtras(member(`new${i + 1}`, hostOf(2, i))))
        const base = buildSpec({
          source,
          target: [...source.slice(0, kept), ...fresh],
          dns: m.dns,
          strategy: m.snapshot ? 'snapshot' : 'join',
          join: {learner: m.learner, order: m.order, finalState: m.finalState, rollingRestart: m.rollingRestart},
        })
        const s: Spec = m.tls ? {...base, cluster: {...base.cluster, peerTLS: {ca: 'ca.pem', cert: 'peer.pem', key: 'peer-key.pem'}}} : base
        const joined = m.snapshot ? [] : fresh.slice(0, m.joined)
        const observations: Observation[] = [
          observeFromSpec(s),
          {
            mode: 'live',
            clusterId: '4242',
            leaderId: String(100 + (m.leader % m.sourceSize)),
            members: [
              ...source.map((x, i) => ({id: String(100 + i), name: x.name, peerURLs: [x.peerURL], clientURLs: [x.clientURL], isLearner: false, started: true})),
              ...joined.map((x, i) => ({
                id: String(200 + i),
                name: m.joinedAs === 'unstarted-learner' ? '' : x.name,
                peerURLs: [x.peerURL],
                clientURLs: m.joinedAs === 'unstarted-learner' ? [] : [x.clientURL],
                isLearner: m.joinedAs !== 'voter' && i === joined.length - 1,
                started: m.joinedAs !== 'unstarted-learner' || i < joined.length - 1,
              })),
              ...(m.stray ? [{id: '999', name: 'stray', peerURLs: ['http://127.0.9.9:2380'], clientURLs: ['http://127.0.9.9:2379'], isLearner: true, started: true}] : []),
            ],
          },
        ]
        for (const observation of observations) {
          let made: Plan
          try {
            made = buildPlan(s, SPEC_HASH, observation)
          } catch (error) {
            if (error instanceof UnsafePlanError) continue
            throw error
          }
          assert.deepEqual(planSpecMismatches(made, s), [], `${JSON.stringify(m)} ${observation.mode}`)
          checked++
        }
      }),
      {numRuns: 400, seed: 20250611},
    )
    assert.ok(checked > 400, `only ${checked} plans checked`)
  })

  it('the example plans in plans/ agree with their specs', async () => {
    for (const file of ['plans/runbook.yaml', 'plans/runbook-snapshot.yaml']) {
      const result = await planSpecFile(join(repoRoot, file))
      assert.ok(result.plan && result.spec, file)
      assert.deepEqual(planSpecMismatches(result.plan, result.spec), [], file)
    }
  })
})

describe('planSpecMismatches: an edited plan with its hash recomputed is caught', () => {
  const stepIndex = (id: string) => plan.steps.findIndex((s) => s.id === id)
  const cases: Array<[string, (body: Record<string, any>) => void, RegExp]> = [
    ['a step\'s peer URL', (b) => (b.steps[stepIndex('add-learner/etcd4')].peerURL = 'http://127.0.9.9:2380'), /step add-learner\/etcd4 uses peer URL http:\/\/127\.0\.9\.9:2380, etcd4's is http:\/\/127\.0\.2\.1:2380/],
    ['a member\'s peer URL and every step\'s with it', (b) => {
      for (const m of b.members) if (m.name === 'etcd5') m.peerURL = 'http://127.0.9.9:2380'
      for (const s of b.steps) if (s.member === 'etcd5' && 'peerURL' in s) s.peerURL = 'http://127.0.9.9:2380'
    }, /etcd5 is http:\/\/127\.0\.9\.9:2380 \(client http:\/\/127\.0\.2\.2:2379\) in the plan, http:\/\/127\.0\.2\.2:2380/],
    ['a config\'s data-dir', (b) => {
      const step = b.steps[stepIndex('write-config/etcd4')]
      step.config.content = step.config.content.replace('data-dir: .etcdplan/local/etcd4/data', 'data-dir: /var/lib/etcd')
    }, /step write-config\/etcd4 writes a config to \.etcdplan\/local\/etcd4\/etcd\.yaml that differs from the one the spec gives etcd4/],
    ['a config\'s path', (b) => (b.steps[stepIndex('rewrite-config/etcd6')].config.path = '/etc/etcd/etcd.yaml'), /step rewrite-config\/etcd6 writes \/etc\/etcd\/etcd\.yaml, etcd6's config file is \.etcdplan\/local\/etcd6\/etcd\.yaml/],
    ['the config start-member starts etcd with', (b) => (b.steps[stepIndex('start-member/etcd4')].configPath = '/tmp/other.yaml'), /step start-member\/etcd4 starts etcd with \/tmp\/other\.yaml/],
    ['a step on a member nobody planned', (b) => (b.steps[stepIndex('promote/etcd4')].member = 'etcd9'), /step promote\/etcd4 acts on etcd9, which the plan does not list/],
    ['a removal of a member neither specified nor observed', (b) => b.members.push({name: 'ghost', action: 'remove', peerURL: 'http://127.0.9.9:2380', clientURL: 'http://127.0.9.9:2379', id: null}), /ghost \(http:\/\/127\.0\.9\.9:2380\) is to be removed, but neither/],
    ['a target member dropped', (b) => (b.members = b.members.filter((m: {name: string}) => m.name !== 'etcd6')), /the spec's target member etcd6 is not in the plan/],
    ['the strategy', (b) => (b.strategy = 'snapshot'), /the plan's strategy is snapshot, the spec's join/],
  ]
  for (const [what, edit, message] of cases) {
    it(what, () => {
      const forged = rehashed(edit)
      assert.equal(parsePlan(serialisePlan(forged), 'p.json').contentHash, forged.contentHash, 'the forged plan passes the content hash check')
      const found = planSpecMismatches(forged, spec)
      assert.ok(found.some((line) => message.test(line)), found.join('\n'))
    })
  }

  it('snapshot: a restore into another data dir', () => {
    const snapshotSpec = {...spec, strategy: 'snapshot' as const}
    const snapshotPlan = buildPlan(snapshotSpec, SPEC_HASH, observeFromSpec(snapshotSpec))
    const forged = rehashed((b) => {
      const step = b.steps.find((s: Step) => s.kind === 'restore-member')
      step.dataDir = '/var/lib/etcd'
    }, snapshotPlan)
    assert.ok(planSpecMismatches(forged, snapshotSpec).some((line) => /restores into \/var\/lib\/etcd, etcd4's data dir is \.etcdplan\/local\/etcd4\/data/.test(line)))
  })
})

describe('loadPlanFileWithSpec refuses before anything runs', () => {
  const labDir = tempDir('etcdplan-load-plan-')
  const setup = (async () => {
    const written = await writeMigrationSpec({name: 'loadcheck', dir: labDir, source: namedMembers('etcd', ['127.0.1.1', '127.0.1.2', '127.0.1.3']), target: namedMembers('etcd', ['127.0.2.1', '127.0.2.2', '127.0.2.3'], 4)})
    const result = await planSpecFile(written.path)
    assert.ok(result.plan, JSON.stringify(result.diagnostics))
    const planPath = join(labDir, 'loadcheck.plan.json')
    await writePlanFile(planPath, result.plan)
    return {specPath: written.path, planPath, plan: result.plan}
  })()
  const refusal = async (promise: Promise<unknown>, message: RegExp, hint: RegExp) =>
    assert.rejects(promise, (error: unknown) => {
      assert.ok(error instanceof UserError, String(error))
      assert.match(error.message, message)
      assert.match(error.hint ?? '', hint)
      return true
    })

  it('loads the plan as written, with its spec', async () => {
    const {planPath, plan: written} = await setup
    const loaded = await loadPlanFileWithSpec(planPath, undefined)
    assert.equal(loaded.plan.contentHash, written.contentHash)
  })

  it('a plan edited and re-hashed: does not match its spec', async () => {
    const {planPath, plan: written} = await setup
    const forged = rehashed((b) => {
      for (const s of b.steps) if (s.kind === 'add-learner' && s.member === 'etcd4') s.peerURL = 'http://127.0.9.9:2380'
    }, written)
    const forgedPath = join(labDir, 'forged.plan.json')
    await writePlanFile(forgedPath, forged)
    await refusal(loadPlanFileWithSpec(forgedPath, undefined), new RegExp(`the plan ${forgedPath} does not match its spec .*: step add-learner/etcd4 uses peer URL http://127.0.9.9:2380, etcd4's is http://127.0.2.1:2380; nothing was changed`), /edited .* make it again with `etcdplan plan/)
    void planPath
  })

  it('--spec given the plan file itself', async () => {
    const {planPath} = await setup
    await refusal(loadPlanFileWithSpec(planPath, planPath), /--spec .*loadcheck\.plan\.json is a plan file, not a spec/, /pass the spec the plan was made from \(it records .*loadcheck\.yaml\)/)
  })

  it('--spec given a path that does not exist, or a directory', async () => {
    const {planPath} = await setup
    await refusal(loadPlanFileWithSpec(planPath, join(labDir, 'nope.yaml')), /cannot read the spec .*nope\.yaml given with --spec \(no such file\); nothing was changed/, /--spec takes the spec the plan was made from/)
    await refusal(loadPlanFileWithSpec(planPath, labDir), /given with --spec \(it is a directory\)/, /--spec takes/)
  })
})

describe('the journal\'s snapshot record', () => {
  const base = newJournal(plan, new Date('2026-01-01T00:00:00Z'))
  const write = (name: string, value: unknown) => {
    const path = join(dir, name)
    writeFileSync(path, JSON.stringify(value))
    return path
  }

  it('is optional, and read back as written when well-formed', async () => {
    const record = {path: '/snap/x.db', sha256: 'c'.repeat(64), bytes: 4096, status: {hash: 1, revision: 2, totalKey: 3, totalSize: 4064, tool: 'etcdctl'}}
    assert.deepEqual((await readJournal(write('with-snapshot.json', {...base, snapshot: record})))?.snapshot, record)
    assert.equal((await readJournal(write('without-snapshot.json', base)))?.snapshot, undefined)
  })

  it('is refused, saying which field, when its sha256 or size is not one', async () => {
    await assert.rejects(readJournal(write('bad-sha.json', {...base, snapshot: {path: '/x', sha256: 'nope', bytes: 1}})), (e: unknown) => e instanceof JournalError && /snapshot has sha256 "nope", not 64 hex digits/.test(e.message))
    await assert.rejects(readJournal(write('bad-bytes.json', {...base, snapshot: {path: '/x', sha256: 'c'.repeat(64), bytes: -1}})), (e: unknown) => e instanceof JournalError && /snapshot has bytes -1, not a size/.test(e.message))
  })
})

