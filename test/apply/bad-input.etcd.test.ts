// End to end, against real etcd (3.4.23 and 3.5.x, one describe each) on loopback: bad input to `etcdplan apply` is refused with a
// clear error and a non-zero exit, and nothing on the cluster changes. One source cluster (3 members,
// 300 keys) serves the whole file; a valid plan of its 3 → 3 migration is saved with `plan SPEC -o`,
// then each row of the table below runs `etcdplan apply ...` on one bad input: a plan edited by hand
// (peer URL, step removed, steps reordered, hashes, a field added), edited and re-hashed, of an
// unknown or missing format version, truncated, empty, an array, binary, missing, a journal; made for
// another spec, strategy or cluster; a spec changed, deleted, unreadable, invalid or given as the
// plan; a journal corrupt, foreign, of another format version, not matching the plan's steps, a
// directory or under a file; bad flags. Each run must exit non-zero without a stack trace, name the
// problem and what to do, and leave the cluster as it was: same cluster ID, member IDs, peer URLs,
// learner flags and revision, no target member's directory, pid file or etcd process, and the
// journal's bytes (where one was arranged) untouched. Every etcd is stopped in `after`.
import {before, describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {existsSync} from 'node:fs'
import {mkdir, readdir, readFile, rename, rm, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {hashOf} from '../../src/canonical-json.js'
import type {LiveCluster} from '../../src/cluster/live-cluster.js'
import {newJournal, type Journal} from '../../src/apply/journal.js'
import {fingerprintOf} from '../../src/plan/fingerprint.js'
import {PLAN_FORMAT_VERSION, type Plan} from '../../src/plan/types.js'
import {loadKeys, verifyKeys, type KeyLoadOptions} from '../../lab/load-keys.js'
import {pickLoopbackHosts} from '../../lab/loopback-hosts.js'
import {namedMembers, writeMigrationSpec, type LabMember, type MigrationSpecOptions} from '../../lab/migration-spec.js'
import {E2E_TIMEOUTS, type LabCluster, useLabCluster} from '../fixtures/lab-cluster.js'
import {runCliAsync, type AsyncCliResult} from '../fixtures/run-cli-async.js'
import {explain, observeLive} from './migration-assertions.js'
import {forEachEtcdVersion} from '../fixtures/etcd-versions.js'

const NAME = 'badinput'
const KEYS: KeyLoadOptions = {count: 300, valueBytes: 64, prefix: 'bad-input/'}
const CLI_TIMEOUT_MS = 30_000

let specOptions: MigrationSpecOptions | null = null
let otherTargets: LabMember[] = []

// Set in each describe below (one per etcd version), so that its hooks run in order: the lab's before, then prepare(), ...; the lab's after last.
let lab: LabCluster

/** What must not change: cluster ID, every member's ID, peer URLs and learner flag, and the store's revision. */
interface ClusterState {
  readonly clusterId: string | null
  readonly members: readonly string[]
  readonly revision: number
}

let baseline: ClusterState | null = null
let plan: Plan | null = null
const SPEC_FILE = `${NAME}.yaml`
const JOURNAL = join('.etcdplan', NAME, 'state.json')

function at(path: string): string {
  return join(lab.dir, path)
}

async function cli(args: readonly string[], expected?: number, cwd = lab.dir): Promise<AsyncCliResult> {
  const result = await runCliAsync(args, {cwd, timeoutMs: CLI_TIMEOUT_MS})
  if (expected !== undefined) assert.equal(result.status, expected, explain(result))
  return result
}

async function clusterState(): Promise<ClusterState> {
  const live: LiveCluster = await observeLive(lab.sourceURLs())
  const revisions = live.statuses.map((s) => s.revision).filter((r): r is number => r !== null)
  assert.equal(revisions.length, 3, `not every source member answered: ${JSON.stringify(live.statuses)}`)
  return {
    clusterId: live.clusterId,
    members: live.members.map((m) => `${m.id} ${[...m.peerURLs].sort().join(',')} ${m.isLearner ? 'learner' : 'voter'}`).sort(),
    revision: Math.max(...revisions),
  }
}

function thePlan(): Plan {
  assert.ok(plan, 'the plan was not made')
  return plan
}

/** The saved plan, changed by `edit`; with `rehash`, its content hash recomputed (as a script editing it might). */
async function planVariant(file: string, edit: (plan: Record<string, any>) => void, {rehash = false} = {}): Promise<void> {
  const value = structuredClone(thePlan()) as unknown as Record<string, any>
  edit(value)
  if (rehash) {
    const {contentHash: _, ...body} = value
    value.contentHash = hashOf(body)
  }
  await writeFile(at(file), `${JSON.stringify(value, null, 2)}\n`)
}

/** A journal of the saved plan (as apply would write it), changed by `edit`. */
function journalOfPlan(edit: (journal: Record<string, any>) => void = () => {}): string {
  const journal = structuredClone(newJournal(thePlan(), new Date('2025-06-01T10:00:00Z'))) as unknown as Record<string, any>
  edit(journal)
  return `${JSON.stringify(journal, null, 2)}\n`
}

const allDone = (steps: Journal['steps']) => steps.map((s) => ({...s, status: 'done', attempts: 1, startedAt: '2025-06-01T10:00:01.000Z', finishedAt: '2025-06-01T10:00:02.000Z'}))

/** Puts `content` at the default journal path for the case; removes it afterwards. */
function withJournal(content: string | (() => string)): Pick<BadInput, 'arrange' | 'journalBytes'> {
  return {
    journalBytes: JOURNAL,
    arrange: async () => {
      await mkdir(at(join('.etcdplan', NAME)), {recursive: true})
      await writeFile(at(JOURNAL), typeof content === 'string' ? content : content())
      return () => rm(at(JOURNAL), {force: true})
    },
  }
}

/** Edits the spec file in place for the case (sed-like), restoring its bytes afterwards. */
function withSpecEdited(edit: (text: string) => string): BadInput['arrange'] {
  return async () => {
    const original = await readFile(at(SPEC_FILE), 'utf8')
    const edited = edit(original)
    assert.notEqual(edited, original, 'the edit changed nothing')
    await writeFile(at(SPEC_FILE), edited)
    return () => writeFile(at(SPEC_FILE), original)
  }
}

interface BadInput {
  readonly name: string
  /** The CLI's arguments: `apply ...`. */
  readonly args: readonly string[]
  /** Working directory, relative to the lab dir. */
  readonly cwd?: string
  /** Exit code: 1 for etcdplan's refusals, 2 for oclif's usage errors. */
  readonly exit?: 1 | 2
  /** Each must match the error: stderr, or the JSON error line's message and hint with --json. */
  readonly says: readonly RegExp[]
  readonly arrange?: () => Promise<(() => Promise<unknown>) | void>
  /** A file (relative to the lab dir) whose bytes must be the same after the run. */
  readonly journalBytes?: string
  /** The case puts a directory at the journal's path: it must still be there, empty. */
  readonly journalIsDirectory?: boolean
  /** A refused stale plan may leave a fresh journal with no step done (apply opens it before the stale check). */
  readonly freshJournalAllowed?: boolean
}

const HASH = [/the plan was changed after it was made: edited by hand or damaged \(content hash sha256:[0-9a-f]{64} ≠ recorded /, /do not edit plan files by hand; make the plan again with `etcdplan plan -o FILE`/]
const STALE_SPEC = (spec: string, planFile: string) => [
  new RegExp(`the spec ${spec} is not the one the plan ${planFile} was made from \\(it changed since, or it is another migration's\\); nothing was changed`),
  new RegExp(`make a new plan from the spec as it is now: etcdplan plan ${spec} -o ${planFile}`),
]
const JOURNAL_ASIDE = /move (it|the journal) aside and run `etcdplan plan` to see where the cluster stands/

const cases: BadInput[] = [
  // A plan edited by hand: the content hash.
  {name: 'a step\'s peer URL edited', args: ['apply', 'edited-peer.plan.json'], says: HASH, arrange: () => planVariant('edited-peer.plan.json', (p) => (p.steps[2].peerURL = p.steps[2].peerURL.replace(/:2380$/, ':2390')))},
  {name: 'a step removed', args: ['apply', 'step-removed.plan.json'], says: HASH, arrange: () => planVariant('step-removed.plan.json', (p) => p.steps.splice(4, 1))},
  {name: 'two steps swapped', args: ['apply', 'reordered.plan.json'], says: HASH, arrange: () => planVariant('reordered.plan.json', (p) => ([p.steps[2], p.steps[3]] = [p.steps[3], p.steps[2]]))},
  {name: 'contentHash edited', args: ['apply', 'content-hash.plan.json'], says: [...HASH, /recorded sha256:0{64}\)/], arrange: () => planVariant('content-hash.plan.json', (p) => (p.contentHash = `sha256:${'0'.repeat(64)}`))},
  {name: 'specHash edited (to pass off another spec)', args: ['apply', 'spec-hash.plan.json'], says: HASH, arrange: () => planVariant('spec-hash.plan.json', (p) => (p.specHash = `sha256:${'1'.repeat(64)}`))},
  {name: 'a field added by hand', args: ['apply', 'approved.plan.json'], says: [/does not match its schema at \(top level\): must NOT have additional properties \("approvedBy"\)/, /do not edit plan files by hand/], arrange: () => planVariant('approved.plan.json', (p) => (p.approvedBy = 'alice'))},
  {name: 'edited, with --json: one JSON error line', args: ['apply', 'edited-json.plan.json', '--json'], says: HASH, arrange: () => planVariant('edited-json.plan.json', (p) => (p.steps[7].peerURL = p.steps[7].peerURL.replace(/:2380$/, ':2390')))},
  // Edited, and the hash recomputed: the plan must still agree with its spec.
  {
    name: 'a step\'s peer URL edited and the content hash recomputed',
    args: ['apply', 'forged.plan.json'],
    says: [/the plan forged\.plan\.json does not match its spec badinput\.yaml: step add-learner\/etcd4 uses peer URL http:\/\/[\d.]+:2390, etcd4's is http:\/\/[\d.]+:2380; nothing was changed/, /edited \(its content hash recomputed\).*make it again with `etcdplan plan badinput\.yaml -o forged\.plan\.json`/],
    arrange: () => planVariant('forged.plan.json', (p) => (p.steps[2].peerURL = p.steps[2].peerURL.replace(/:2380$/, ':2390')), {rehash: true}),
  },
  // The plan drives the gates: a gate dropped, members and configs untouched, hash recomputed.
  {
    name: 'a precondition dropped and the content hash recomputed',
    args: ['apply', 'no-gate.plan.json'],
    says: [/the plan no-gate\.plan\.json is not what etcdplan plans from its spec badinput\.yaml and the cluster it records: step 3 \(add-learner\/etcd4\) lacks the precondition voters-healthy; nothing was changed/, /edited \(its content hash recomputed\) or made by another version of etcdplan/],
    arrange: () => planVariant('no-gate.plan.json', (p) => (p.steps[2].preconditions = p.steps[2].preconditions.filter((c: {check: string}) => c.check !== 'voters-healthy')), {rehash: true}),
  },
  {
    name: 'a dependency edited and the content hash recomputed',
    args: ['apply', 'no-edge.plan.json'],
    says: [/step 3 \(add-learner\/etcd4\) differs in dependsOn; nothing was changed/],
    arrange: () => planVariant('no-edge.plan.json', (p) => (p.steps[2].dependsOn = ['preflight']), {rehash: true}),
  },
  {
    name: 'a check this version does not know',
    args: ['apply', 'unknown-check.plan.json'],
    says: [/step add-learner\/etcd4 needs the check "disk-fast", which this version of etcdplan does not know \(it knows cluster-matches-plan, /, /make the plan again with this version of etcdplan/],
    arrange: () => planVariant('unknown-check.plan.json', (p) => p.steps[2].preconditions.push({check: 'disk-fast', description: 'the disk is fast'}), {rehash: true}),
  },
  // Not a plan of this format, or not a plan at all.
  {name: 'formatVersion 999', args: ['apply', 'v999.plan.json'], says: [new RegExp(`plan format version 999 is not supported \\(this etcdplan reads version ${PLAN_FORMAT_VERSION}\\)`), /make the plan again with this version of etcdplan/], arrange: () => planVariant('v999.plan.json', (p) => (p.formatVersion = 999))},
  // The version before this one (computed, so that a format bump never turns this case into a real apply).
  {name: 'the previous formatVersion, with --json', args: ['apply', 'previous.plan.json', '--json'], says: [new RegExp(`plan format version ${PLAN_FORMAT_VERSION - 1} is not supported`), /make the plan again/], arrange: () => planVariant('previous.plan.json', (p) => (p.formatVersion = PLAN_FORMAT_VERSION - 1))},
  {name: 'formatVersion missing', args: ['apply', 'no-version.plan.json'], says: [/no-version\.plan\.json: not a plan file \(no formatVersion: every plan file records the plan format version it was written in\)/, /write the plan again with `etcdplan plan -o FILE`/], arrange: () => planVariant('no-version.plan.json', (p) => delete p.formatVersion)},
  {name: 'formatVersion a string', args: ['apply', 'string-version.plan.json'], says: [new RegExp(`plan format version "${PLAN_FORMAT_VERSION}" is not supported`)], arrange: () => planVariant('string-version.plan.json', (p) => (p.formatVersion = String(PLAN_FORMAT_VERSION)))},
  {name: 'a journal given as the plan', args: ['apply', 'state-copy.json'], says: [/state-copy\.json: not a plan file: it is an apply journal \(state\.json\)/, /apply the plan file `etcdplan plan -o FILE` wrote/], arrange: () => writeFile(at('state-copy.json'), journalOfPlan())},
  {name: 'truncated', args: ['apply', 'truncated.plan.json'], says: [/truncated\.plan\.json: not a plan file: not valid JSON, truncated or corrupt \(.* at position \d+, line \d+ column \d+\)/, /write the plan again/], arrange: async () => writeFile(at('truncated.plan.json'), (await readFile(at('plan.json'), 'utf8')).slice(0, 5000))},
  {name: 'empty', args: ['apply', 'empty.plan.json'], says: [/empty\.plan\.json: not a plan file: the file is empty/, /write the plan again/], arrange: () => writeFile(at('empty.plan.json'), '')},
  {name: 'a JSON array', args: ['apply', 'array.plan.json'], says: [/array\.plan\.json: not a plan file: it holds a JSON array, not a plan object/], arrange: () => writeFile(at('array.plan.json'), JSON.stringify([thePlan()]))},
  {name: 'binary garbage', args: ['apply', 'garbage.plan.json'], says: [/^Error: garbage\.plan\.json: not a plan file: it holds binary data, not JSON text\n {2}write the plan again with `etcdplan plan -o FILE`\n$/], arrange: () => writeFile(at('garbage.plan.json'), Buffer.from(Array.from({length: 4096}, (_, i) => (i * 131 + 7) % 256)))},
  {name: 'the plan file missing', args: ['apply', 'nowhere.plan.json'], says: [/nowhere\.plan\.json: cannot read the plan file \(no such file\)/, /check the path, or write a plan with `etcdplan plan -o FILE`/]},
  // Made for something else.
  {name: 'a plan of another migration, with this spec', args: ['apply', 'other.plan.json', '--spec', SPEC_FILE], says: STALE_SPEC(SPEC_FILE, 'other.plan.json')},
  {name: 'a snapshot plan, with the join spec of the same name', args: ['apply', 'snapshot.plan.json', '--spec', SPEC_FILE], says: STALE_SPEC(SPEC_FILE, 'snapshot.plan.json')},
  {
    name: 'a plan made for another cluster at the same addresses (cluster ID and member IDs differ)',
    args: ['apply', 'other-cluster.plan.json'],
    says: [/Saved plan is stale/, /the cluster ID is [0-9a-f]+, the plan was made for [0-9a-f]+/, /has ID [0-9a-f]+, the plan saw [0-9a-f]+ \(removed and added again\?\)/, /run `etcdplan plan`/],
    freshJournalAllowed: true,
    arrange: () =>
      planVariant(
        'other-cluster.plan.json',
        (p) => {
          // What `plan` would have written had the cluster at these addresses been another one.
          const other = (id: string) => String(BigInt(id) ^ 0x5a5a5a5a5a5an)
          const observation = p.observation
          observation.clusterId = other(observation.clusterId)
          if (observation.leaderId !== null) observation.leaderId = other(observation.leaderId)
          for (const m of observation.members) m.id = other(m.id)
          for (const m of p.members) if (m.id !== null) m.id = other(m.id)
          observation.fingerprint = fingerprintOf(observation)
        },
        {rehash: true},
      ),
  },
  // The spec: changed, gone, unreadable, invalid, or the wrong file.
  {name: 'the spec changed after the plan (a timeout)', args: ['apply', 'plan.json'], says: STALE_SPEC(SPEC_FILE, 'plan.json'), arrange: withSpecEdited((t) => t.replace('step: 60s', 'step: 90s'))},
  {name: 'the spec changed, with --json', args: ['apply', 'plan.json', '--json'], says: STALE_SPEC(SPEC_FILE, 'plan.json'), arrange: withSpecEdited((t) => t.replace('health: 30s', 'health: 45s'))},
  {
    name: 'the spec file deleted',
    args: ['apply', 'plan.json'],
    says: [/cannot read badinput\.yaml \(no such file\), the spec the plan plan\.json was made from \(the path is relative to where `etcdplan plan` ran\); nothing was changed/, /run apply from that directory, or pass the spec with --spec PATH/],
    arrange: async () => {
      await rename(at(SPEC_FILE), at('moved-away.yaml'))
      return () => rename(at('moved-away.yaml'), at(SPEC_FILE))
    },
  },
  {name: 'applied from another directory (the recorded spec path is relative)', args: ['apply', '../plan.json'], cwd: 'elsewhere', says: [/cannot read badinput\.yaml \(no such file\), the spec the plan \.\.\/plan\.json was made from/, /run apply from that directory, or pass the spec with --spec PATH/], arrange: async () => void (await mkdir(at('elsewhere'), {recursive: true}))},
  {name: '--spec: a path that does not exist', args: ['apply', 'plan.json', '--spec', 'missing.yaml'], says: [/cannot read the spec missing\.yaml given with --spec \(no such file\); nothing was changed/, /--spec takes the spec the plan was made from \(it records badinput\.yaml\)/]},
  {name: '--spec: invalid YAML', args: ['apply', 'plan.json', '--spec', 'broken.yaml'], says: [/broken\.yaml:3:\d+: error: YAML syntax/, /broken\.yaml has errors; nothing was changed/, /fix them \(`etcdplan validate broken\.yaml`\), then run apply again/], arrange: () => writeFile(at('broken.yaml'), 'apiVersion: etcdplan/v1\nkind: [Migration\nname: badinput\n')},
  {name: '--spec: a schema error', args: ['apply', 'plan.json', '--spec', 'schema-error.yaml'], says: [/schema-error\.yaml:\d+:\d+: error: timeouts\.catchUp "soon" is not a duration/, /schema-error\.yaml has errors; nothing was changed/], arrange: async () => writeFile(at('schema-error.yaml'), (await readFile(at(SPEC_FILE), 'utf8')).replace('catchUp: 2m', 'catchUp: soon'))},
  {name: '--spec: the plan file itself', args: ['apply', 'plan.json', '--spec', 'plan.json'], says: [/--spec plan\.json is a plan file, not a spec; nothing was changed/, /pass the spec the plan was made from \(it records badinput\.yaml\), or leave --spec out/]},
  // The journal.
  {name: 'a corrupt journal (truncated)', args: ['apply', 'plan.json'], says: [/the journal \.etcdplan\/badinput\/state\.json is not valid JSON \(corrupt or edited\)/, JOURNAL_ASIDE], ...withJournal(() => journalOfPlan().slice(0, 700))},
  {name: 'a corrupt journal, with --json', args: ['apply', 'plan.json', '--json'], says: [/the journal \.etcdplan\/badinput\/state\.json is not valid JSON/, JOURNAL_ASIDE], ...withJournal(() => journalOfPlan().slice(0, 300))},
  {name: 'an empty journal', args: ['apply', 'plan.json'], says: [/the journal \.etcdplan\/badinput\/state\.json is empty/, JOURNAL_ASIDE], ...withJournal('')},
  {name: 'a foreign JSON file as the journal', args: ['apply', 'plan.json'], says: [/\.etcdplan\/badinput\/state\.json is not an etcdplan journal \(it has no "kind": "etcdplan-journal"\)/, /move it aside, or pass --state with the journal of this migration/], ...withJournal('{"version": 4, "terraform_version": "1.5.7", "serial": 12, "resources": []}\n')},
  {name: 'a journal of format version 2', args: ['apply', 'plan.json'], says: [/the journal \.etcdplan\/badinput\/state\.json is in journal format version 2; this etcdplan reads journal format version 1/, /finish that apply with the etcdplan version that wrote the journal/], ...withJournal(() => journalOfPlan((j) => (j.formatVersion = 2)))},
  {name: 'a journal with a step status edited to "skipped"', args: ['apply', 'plan.json'], says: [/the journal \.etcdplan\/badinput\/state\.json is corrupt or edited: step add-learner\/etcd4 has status "skipped"/, JOURNAL_ASIDE], ...withJournal(() => journalOfPlan((j) => (j.steps[2].status = 'skipped')))},
  {
    name: 'a journal of this plan whose step ids differ (all done)',
    args: ['apply', 'plan.json'],
    says: [/the journal \.etcdplan\/badinput\/state\.json does not match the plan it names: step 1 is preflight-v0 in the journal, preflight in the plan/, JOURNAL_ASIDE],
    ...withJournal(() => journalOfPlan((j) => (j.steps = allDone(j.steps).map((s: {id: string}) => ({...s, id: `${s.id}-v0`}))))),
  },
  {
    name: 'a journal of this plan with one step fewer (all done)',
    args: ['apply', 'plan.json'],
    says: [/the journal \.etcdplan\/badinput\/state\.json does not match the plan it names: it has 37 steps, the plan 38/, JOURNAL_ASIDE],
    ...withJournal(() => journalOfPlan((j) => (j.steps = allDone(j.steps.slice(0, -1))))),
  },
  {
    name: 'apply SPEC, resuming the plan saved beside a journal whose step ids differ',
    args: ['apply', SPEC_FILE],
    says: [/the journal \.etcdplan\/badinput\/state\.json does not match the plan it names: step 1 is preflight-v0 in the journal, preflight in the plan/, JOURNAL_ASIDE],
    journalBytes: JOURNAL,
    arrange: async () => {
      // What `apply SPEC` leaves when it stops: the plan it made beside the journal (here the saved plan).
      await mkdir(at(join('.etcdplan', NAME)), {recursive: true})
      await writeFile(at(join('.etcdplan', NAME, 'plan.json')), await readFile(at('plan.json')))
      await writeFile(at(JOURNAL), journalOfPlan((j) => (j.steps = allDone(j.steps).map((s: {id: string}) => ({...s, id: `${s.id}-v0`})))))
      return async () => {
        await rm(at(JOURNAL), {force: true})
        await rm(at(join('.etcdplan', NAME, 'plan.json')), {force: true})
      }
    },
  },
  {
    name: 'the journal path is a directory',
    args: ['apply', 'plan.json'],
    says: [/the journal \.etcdplan\/badinput\/state\.json is a directory, not a file/, /pass --state with the path of a journal file, or move the directory aside/],
    journalIsDirectory: true,
    arrange: async () => {
      await mkdir(at(JOURNAL), {recursive: true})
      return () => rm(at(JOURNAL), {recursive: true, force: true})
    },
  },
  {name: '--state under a regular file', args: ['apply', 'plan.json', '--state', 'a-file/journal/state.json'], says: [/a-file/, /not a directory/], arrange: () => writeFile(at('a-file'), 'not a directory\n')},
  {name: '--state pointing at the plan file', args: ['apply', 'plan.json', '--state', 'plan.json'], says: [/plan\.json is a plan file, not a journal/, /pass --state with the journal an apply keeps/], journalBytes: 'plan.json'},
  // Flags.
  {name: '--confirm with a step that does not wait for the operator', args: ['apply', 'plan.json', '--confirm', 'remove-member'], exit: 2, says: [/--confirm remove-member: not a step of this plan that waits for the operator; nothing was changed/, /steps of this plan that can: stop-member\/etcd\d/]},
  {name: 'an unknown flag', args: ['apply', 'plan.json', '--force'], exit: 2, says: [/Nonexistent flag: --force/, /See more help with --help/]},
  {name: 'an extra argument', args: ['apply', 'plan.json', 'other.plan.json'], exit: 2, says: [/Unexpected argument: other\.plan\.json/, /See more help with --help/]},
]

forEachEtcdVersion((version) => {
describe('etcdplan apply, given bad input', () => {
  const thisLab = useLabCluster(
    'etcdplan-e2e-bad-input-',
    async (dir) => {
      const hosts = await pickLoopbackHosts(9)
      const members = namedMembers('etcd', hosts.slice(0, 6))
      // Hosts 7-9: the targets of another migration of the same cluster (never started).
      otherTargets = namedMembers('other', hosts.slice(6, 9))
      specOptions = {name: NAME, dir, source: members.slice(0, 3), target: members.slice(3), timeouts: E2E_TIMEOUTS, etcd: version.etcd}
      return specOptions
    },
    {start: true},
  )
  // One suite per version, run one after the other: the cases read the module's `lab`, so each
  // suite points it at its own lab before its cases run.
  before(() => {
    lab = thisLab
  })
  before(prepare)

  it('the table has at least 24 distinct bad inputs', () => {
    assert.ok(cases.length >= 24, `${cases.length} cases`)
    assert.equal(new Set(cases.map((c) => c.name)).size, cases.length, 'case names repeat')
  })

  for (const c of cases) {
    it(`refuses ${c.name}; nothing changes`, {timeout: 60_000}, async (t) => {
      const undo = await c.arrange?.()
      try {
        const journalBefore = c.journalBytes === undefined ? null : await readFile(at(c.journalBytes))
        const result = await cli(c.args, undefined, c.cwd === undefined ? lab.dir : at(c.cwd))
        const output = `${result.stderr}${result.stdout}`
        assert.equal(result.status, c.exit ?? 1, explain(result))
        assert.doesNotMatch(output, /^\s+at .*(\(|file:|node:)/m, `a stack trace:\n${explain(result)}`)
        assert.doesNotMatch(output, /This is a bug in etcdplan/, explain(result))
        const error = c.args.includes('--json') ? jsonError(result) : result.stderr
        for (const expected of c.says) assert.match(error, expected, explain(result))
        t.diagnostic(error.trim().split('\n').filter((line) => line.startsWith('Error') || line.startsWith('{') || line.includes('›')).join(' | ').slice(0, 400))

        if (journalBefore !== null) assert.deepEqual(await readFile(at(c.journalBytes!)), journalBefore, `${c.journalBytes} changed`)
        await assertNothingChanged(c)
      } finally {
        await undo?.()
        // A refused stale plan leaves the journal apply opened for it (no step done): not a test's business after.
        if (c.freshJournalAllowed === true) await rm(at(JOURNAL), {force: true})
      }
    })
  }

  it('after every refusal: the cluster holds its 300 keys, and only its 3 source members', async () => {
    assert.deepEqual(await verifyKeys(lab.sourceURLs(), KEYS), {missing: [], wrong: []})
    assert.deepEqual(await clusterState(), baseline)
  })
})
})

/** The keys, the saved plans of this and two other migrations, and the baseline the cases compare with. */
async function prepare(): Promise<void> {
  await loadKeys(lab.sourceURLs(), KEYS)
  // Planned from the lab dir with a relative spec path, as an operator would: the plan records `badinput.yaml`.
  await cli(['plan', SPEC_FILE, '-o', 'plan.json'], 0)
  plan = JSON.parse(await readFile(at('plan.json'), 'utf8')) as Plan
  assert.equal(plan.specFile, SPEC_FILE)
  assert.equal(plan.observation.mode, 'live')
  // The runbook's 3 → 3 join: 38 steps (the journal case above says 37 and 38).
  assert.equal(plan.steps.length, 38)
  // Another migration of the same cluster (other name, other targets), and a snapshot migration of this one.
  assert.ok(specOptions)
  await writeMigrationSpec({...specOptions, name: 'othermig', target: otherTargets, fileName: 'other.yaml'})
  await cli(['plan', 'other.yaml', '-o', 'other.plan.json'], 0)
  await writeMigrationSpec({...specOptions, strategy: 'snapshot', fileName: 'snapshot.yaml'})
  await cli(['plan', 'snapshot.yaml', '-o', 'snapshot.plan.json'], 0)
  baseline = await clusterState()
  assert.equal(baseline.members.length, 3)
}

/** The JSON error line `--json` ends with: its message and hint, one per line. */
function jsonError(result: AsyncCliResult): string {
  const last = result.stdout.trimEnd().split('\n').at(-1) ?? ''
  const event = JSON.parse(last) as {type: string; error: {message: string; hint: string | null}}
  assert.equal(event.type, 'error', explain(result))
  return `${event.error.message}\n${event.error.hint ?? ''}`
}

async function assertNothingChanged(c: BadInput): Promise<void> {
  assert.ok(baseline, 'no baseline')
  assert.deepEqual(await clusterState(), baseline, 'the cluster changed')
  const spec = lab.spec
  for (const m of spec.target.members) {
    // The local provider keeps a member's config, pid file and log under nodes/<name>: none may exist.
    const memberDir = join(spec.nodes.local.workDir, m.name)
    assert.ok(!existsSync(memberDir), `${memberDir} exists: apply touched target member ${m.name}`)
    assert.ok(!existsSync(m.configFile), `${m.configFile} was written`)
    assert.ok(!(await answers(m.clientURL)), `${m.name} answers at ${m.clientURL}`)
  }
  assert.deepEqual(await etcdProcessesFor(spec.target.members.map((m) => m.configFile)), [], 'an etcd runs with a target member\'s config')
  const journalPath = at(JOURNAL)
  if (c.journalIsDirectory === true) {
    assert.deepEqual(await readdir(journalPath), [], `something was written into the directory ${JOURNAL}`)
  } else if (c.journalBytes === undefined && existsSync(journalPath)) {
    assert.ok(c.freshJournalAllowed === true, `${JOURNAL} was created`)
    const journal = JSON.parse(await readFile(journalPath, 'utf8')) as Journal
    assert.deepEqual(journal.steps.filter((s) => s.status !== 'pending' || s.attempts > 0).map((s) => s.id), [], 'the journal records a step as started')
  }
  const aside = existsSync(at(join('.etcdplan', NAME))) ? (await readdir(at(join('.etcdplan', NAME)))).filter((f) => f.includes('superseded')) : []
  assert.deepEqual(aside, [], 'a journal was moved aside')
}

async function answers(clientURL: string): Promise<boolean> {
  try {
    await fetch(`${clientURL}/health`, {signal: AbortSignal.timeout(500)})
    return true
  } catch {
    return false
  }
}

/** Pids of processes whose command line names one of these config files. */
async function etcdProcessesFor(configFiles: readonly string[]): Promise<number[]> {
  const found: number[] = []
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '')
    if (configFiles.some((file) => cmdline.includes(file))) found.push(Number(entry))
  }
  return found
}
