// End to end, against real etcd on loopback (the local provider): a removed member stays removed.
// etcd3 leaves a 3-member cluster (etcd4 joins in its place) through `etcdplan apply`; then etcd3 is
// started again by hand, the way a supervisor or a person would (`etcd --config-file <its config>`).
// Proves: the apply fenced etcd3 (its config and data dir are at `<path>.removed-<time>`, their
// content intact: the same config text, the data dir's WAL still etcd3's member ID — nothing
// deleted); the hand-started etcd exits at once without serving (no config to read); the target
// cluster's member list is unchanged, and nothing answers at etcd3's client URL. Every etcd started
// here is stopped in `finally`, and the temp dir removed.
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {mkdtemp, readdir, readFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {basename, dirname, join, resolve} from 'node:path'
import type {Spec} from '../../src/spec/types.js'
import {localProvider} from '../../lab/local-cluster.js'
import {pickLoopbackHosts} from '../../lab/loopback-hosts.js'
import {namedMembers} from '../../lab/migration-spec.js'
import {E2E_TIMEOUTS, removeLab, startedSpecCluster} from '../fixtures/lab-cluster.js'
import {jsonEvents, runCliAsync} from '../fixtures/run-cli-async.js'
import {assertExactMembership, explain, observeLive} from './migration-assertions.js'

const NAME = 'fence'
/** How long the hand-started etcd gets to exit; it fails at once when there is no config to read. */
const EXIT_WITHIN_MS = 15_000

test('a removed member is fenced on its host: started again by hand, it cannot rejoin (config and data dir moved aside, intact)', {timeout: 180_000}, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'etcdplan-e2e-fence-'))
  let spec: Spec | null = null
  let byHand: ReturnType<typeof spawn> | null = null
  try {
    const members = namedMembers('etcd', await pickLoopbackHosts(4))
    const started = await startedSpecCluster({name: NAME, dir, source: members.slice(0, 3), target: [members[0]!, members[1]!, members[3]!], timeouts: E2E_TIMEOUTS})
    spec = started.spec
    const s = spec
    const removed = s.source.members[2]!
    const configFile = resolve(dir, removed.configFile)
    const dataDir = resolve(dir, removed.dataDir)
    const configBefore = await readFile(configFile, 'utf8')
    const idBefore = (await observeLive(s.source.members.map((m) => m.clientURL))).members.find((m) => m.name === removed.name)?.id
    assert.ok(idBefore !== undefined, 'etcd3 is a member before the apply')

    const applied = await runCliAsync(['apply', started.path, '--auto-approve', '--json'], {cwd: dir, timeoutMs: 150_000})
    t.diagnostic(`apply took ${Math.round(applied.durationMs)} ms`)
    assert.equal(applied.status, 0, explain(applied))
    const fenced = jsonEvents(applied.stdout).find((e) => e.type === 'step-done' && e.id === 'fence-member/etcd3')
    assert.ok(fenced !== undefined, `the apply ran fence-member/etcd3\n${explain(applied)}`)
    assert.match(String(fenced.outcome), /etcd3 fenced, nothing deleted/)
    const targetURLs = s.target.members.map((m) => m.clientURL)
    const membersAfter = await assertExactMembership(targetURLs, s.target.members)

    // Moved aside, never deleted: the same config text, and the data dir still holds etcd3's WAL.
    const configAside = await onlyFenced(configFile)
    const dataAside = await onlyFenced(dataDir)
    assert.equal(await readFile(configAside, 'utf8'), configBefore, 'the config is intact at its moved-aside path')
    const contents = await localProvider(s).inspectDataDir({...removed, dataDir: dataAside})
    assert.equal(contents.wal?.memberId, idBefore, `the moved-aside data dir ${dataAside} still holds etcd3's WAL`)
    await assert.rejects(readFile(configFile), {code: 'ENOENT'}, 'nothing is left at the config path')
    await assert.rejects(readdir(dataDir), {code: 'ENOENT'}, 'nothing is left at the data dir path')

    // Started again by hand, as a supervisor or a person would: it must not come back.
    byHand = spawn('etcd', ['--config-file', configFile], {cwd: dir, stdio: ['ignore', 'pipe', 'pipe']})
    let output = ''
    byHand.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
    byHand.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
    const code = await exitWithin(byHand, EXIT_WITHIN_MS)
    assert.notEqual(code, null, `etcd started by hand with ${configFile} still runs after ${EXIT_WITHIN_MS / 1000} s:\n${output}`)
    assert.notEqual(code, 0, `etcd started by hand exited 0:\n${output}`)
    assert.match(output, /no such file or directory/, 'it fails because its config is gone')
    byHand = null

    const membersLater = await assertExactMembership(targetURLs, s.target.members)
    assert.deepEqual(idsOf(membersLater), idsOf(membersAfter), 'the member list is unchanged')
    await assert.rejects(fetch(`${removed.clientURL}/health`, {signal: AbortSignal.timeout(2000)}), 'nothing answers at etcd3\'s client URL')
  } finally {
    if (byHand !== null && byHand.exitCode === null && byHand.pid !== undefined) byHand.kill('SIGKILL')
    await removeLab(dir, spec)
  }
})

/** The one `<path>.removed-<stamp>` beside `path`. */
async function onlyFenced(path: string): Promise<string> {
  const names = (await readdir(dirname(path))).filter((n) => n.startsWith(`${basename(path)}.removed-`))
  assert.equal(names.length, 1, `one moved-aside copy of ${path}: ${names.join(', ')}`)
  assert.match(names[0]!, /\.removed-\d{8}T\d{6}Z$/)
  return join(dirname(path), names[0]!)
}

/** The exit code once it exits, or null when it still runs at the deadline. */
async function exitWithin(child: ReturnType<typeof spawn>, ms: number): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode
  return new Promise((done) => {
    const timer = setTimeout(() => done(null), ms)
    child.once('exit', (code) => {
      clearTimeout(timer)
      done(code ?? -1)
    })
  })
}

function idsOf(cluster: {readonly members: readonly {readonly name: string; readonly id: string | null}[]}): string[] {
  return cluster.members.map((m) => `${m.name}=${m.id}`).sort()
}
