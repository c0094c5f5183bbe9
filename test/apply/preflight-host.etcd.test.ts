// End to end, against real etcd (3.4.23) on loopback: everything that would make a new member fail to
// start is refused in the preflight, before the first `member add`. One source cluster (etcd1..etcd3)
// serves every case; each case is a 3 → 3 migration (etcd3 replaced by etcd4) from its own spec and
// working directory, with one problem on etcd4's host:
// - the etcd binary nodes.local.etcd names is missing;
// - it is too old: a script that answers `--version` with `etcd Version: 3.3.27` (and otherwise execs
//   /usr/bin/etcd), while the cluster runs 3.4 — etcd would refuse it only at start; a live `plan`
//   refuses it already, and a saved plan made while it answered 3.4.23 is refused at preflight;
// - etcd4's client port is held by a plain TCP server;
// - etcd4's data dir holds a file;
// - etcd4's config names a file that does not exist (client-transport-security trusted-ca-file).
// Proves, for each: `etcdplan apply` exits 1 at preflight (no step after it started), the message
// names etcd4 and the binary, port or file, and says nothing was changed; and the member list and the
// revision are what they were before any case ran. Every etcd started here is stopped in `after`.
import {after, before, test} from 'node:test'
import assert from 'node:assert/strict'
import {chmod, mkdir, mkdtemp, writeFile} from 'node:fs/promises'
import {createServer, type Server} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {loadSpecFile} from '../../src/spec/load-spec.js'
import type {Spec} from '../../src/spec/types.js'
import {stopAllMembers} from '../../lab/local-cluster.js'
import {CLIENT_PORT, pickLoopbackHosts} from '../../lab/loopback-hosts.js'
import {namedMembers, writeMigrationSpec, type LabMember} from '../../lab/migration-spec.js'
import {startedSpecCluster, type StartedLabSpec} from '../fixtures/lab-cluster.js'
import {runCliAsync} from '../fixtures/run-cli-async.js'
import {assertFailedAt, cleanUpLab, membership, memberOf} from './faults-fixture.js'
import {observeLive} from './migration-assertions.js'

let dir = ''
let lab: StartedLabSpec | null = null
let members: LabMember[] = []
const caseSpecs: Spec[] = []
let before_: {membership: ReturnType<typeof membership>; revision: number | null} | null = null

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'etcdplan-e2e-preflight-host-'))
  members = namedMembers('etcd', await pickLoopbackHosts(4))
  lab = await startedSpecCluster({name: 'preflight-host', dir, source: members.slice(0, 3), target: members.slice(0, 3), timeouts: {health: '20s', step: '30s'}}, {count: 50, valueBytes: 64, prefix: '/e2e/preflight-host/'})
  before_ = await cluster()
})

after(async () => {
  for (const spec of caseSpecs) await stopAllMembers(spec)
  await cleanUpLab({diagnostic: () => {}}, dir, lab?.spec ?? null)
})

async function cluster(): Promise<{membership: ReturnType<typeof membership>; revision: number | null}> {
  const observed = await observeLive(lab!.spec.source.members.map((m) => m.clientURL))
  const revisions = [...new Set(observed.statuses.map((s) => s.revision))]
  assert.equal(revisions.length, 1, `members disagree on the revision: ${revisions.join(', ')}`)
  return {membership: membership(observed), revision: revisions[0] ?? null}
}

/** A case's spec in its own directory (its own journal): etcd1, etcd2 kept, etcd3 replaced by etcd4. */
async function caseSpec(name: string, options: {etcd?: string; edit?: (text: string) => string} = {}): Promise<{path: string; spec: Spec; cwd: string}> {
  const cwd = join(dir, name)
  const written = await writeMigrationSpec({name, dir: cwd, source: members.slice(0, 3), target: [members[0]!, members[1]!, members[3]!], join: {learner: true, rollingRestart: false}, timeouts: {health: '20s', step: '30s'}, ...(options.etcd === undefined ? {} : {etcd: options.etcd})})
  if (options.edit !== undefined) {
    const edited = options.edit(written.text)
    assert.notEqual(edited, written.text)
    await writeFile(written.path, edited)
  }
  const loaded = await loadSpecFile(written.path)
  assert.ok(loaded.spec, loaded.diagnostics.map((d) => d.message).join('\n'))
  caseSpecs.push(loaded.spec)
  return {path: written.path, spec: loaded.spec, cwd}
}

/** apply fails at preflight, with `expected` in the message and the nothing-changed wording; the cluster is as before. */
async function assertRefusedAtPreflight(specPath: string, cwd: string, expected: readonly RegExp[]): Promise<string> {
  const result = await runCliAsync(['apply', specPath, '--auto-approve', '--json'], {cwd, timeoutMs: 90_000})
  const {message, hint} = assertFailedAt(result, 'preflight')
  for (const pattern of expected) assert.match(message, pattern)
  assert.match(message, /Nothing was changed: the preflight runs before the first change/)
  assert.ok(hint !== '', 'the refusal says what to fix')
  assert.deepEqual(await cluster(), before_, 'the membership or the revision changed')
  return message
}

test('a missing etcd binary is refused at preflight, naming etcd4 and the path', {timeout: 120_000}, async () => {
  const missing = join(dir, 'no-such-dir', 'etcd')
  const {path, cwd} = await caseSpec('missing-binary', {etcd: missing})
  await assertRefusedAtPreflight(path, cwd, [/precondition etcd-version-compatible/, new RegExp(`etcd4's etcd binary ${missing} cannot be run: no such file`)])
})

test('an etcd binary older than the cluster version is refused by plan, and at preflight when it changed after the plan, with etcd\'s reason', {timeout: 120_000}, async () => {
  // A script in etcd's place: it answers --version with what VERSION says, and otherwise runs /usr/bin/etcd.
  const binary = join(dir, 'etcd-swappable')
  const answer = async (version: string) => {
    await writeFile(binary, `#!/bin/sh\nif [ "$1" = --version ]; then echo "etcd Version: ${version}"; echo "Git SHA: test"; exit 0; fi\nexec /usr/bin/etcd "$@"\n`)
    await chmod(binary, 0o755)
  }
  await answer('3.3.27')
  const {path, cwd} = await caseSpec('old-binary', {etcd: binary})
  // A live plan reads the new member's binary through the provider and refuses before anything runs.
  const planned = await runCliAsync(['plan', path, '--no-color'], {cwd, timeoutMs: 60_000})
  assert.equal(planned.status, 1, planned.stderr)
  assert.match(planned.stderr, /etcd4's etcd binary is 3\.3\.27, but the cluster version is 3\.4: a 3\.3 member cannot join a cluster whose cluster version is 3\.4/)
  assert.match(planned.stderr, /incompatible with current running cluster/)
  assert.deepEqual(await cluster(), before_, 'plan changed the membership or the revision')

  // Planned while the binary was 3.4.23, then swapped for the old one: the preflight still refuses it.
  await answer('3.4.23')
  const saved = await runCliAsync(['plan', path, '-o', 'plan.json'], {cwd, timeoutMs: 60_000})
  assert.equal(saved.status, 0, saved.stderr)
  await answer('3.3.27')
  const result = await runCliAsync(['apply', 'plan.json', '--json'], {cwd, timeoutMs: 90_000})
  const {message, hint} = assertFailedAt(result, 'preflight')
  assert.match(message, new RegExp(`etcd4's etcd binary ${binary} is 3\\.3\\.27, but the cluster runs 3\\.4 \\(cluster version 3\\.4`))
  assert.match(message, /incompatible with current running cluster/)
  assert.match(message, /Nothing was changed: the preflight runs before the first change/)
  assert.ok(hint !== '', 'the refusal says what to fix')
  assert.deepEqual(await cluster(), before_, 'the membership or the revision changed')
})

test('a port in use on the new member\'s address is refused at preflight, naming it', {timeout: 120_000}, async () => {
  const {path, cwd, spec} = await caseSpec('port-in-use')
  const host = new URL(memberOf(spec, 'etcd4').clientURL).hostname
  const server: Server = createServer((socket) => socket.destroy())
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(CLIENT_PORT, host, resolve))
  try {
    await assertRefusedAtPreflight(path, cwd, [/precondition ports-free/, new RegExp(`a port etcd4 must listen on cannot be bound on its host: ${host.replaceAll('.', '\\.')}:${CLIENT_PORT} .*address already in use`)])
  } finally {
    await new Promise((resolve) => server.close(resolve))
  }
})

test('a data dir that is not empty is refused at preflight, naming it', {timeout: 120_000}, async () => {
  const {path, cwd, spec} = await caseSpec('data-dir')
  const dataDir = memberOf(spec, 'etcd4').dataDir
  await mkdir(dataDir, {recursive: true})
  await writeFile(join(dataDir, 'left-over'), 'not etcd4\'s')
  await assertRefusedAtPreflight(path, cwd, [/precondition data-dir-empty/, new RegExp(`etcd4's data dir ${dataDir} is not empty \\(it holds left-over\\)`)])
})

test('a file the config names that is missing is refused at preflight, naming it', {timeout: 120_000}, async () => {
  const ca = join(dir, 'pki', 'no-such-ca.pem')
  const {path, cwd} = await caseSpec('missing-file', {edit: (text) => text.replace(/(\{ ?name: etcd4, )/, `$1config: {client-transport-security: {trusted-ca-file: ${ca}}}, `)})
  await assertRefusedAtPreflight(path, cwd, [/precondition config-files-readable/, new RegExp(`etcd4's config names a file its host cannot read: ${ca} \\(no such file\\)`)])
})
