// The state lock from the command line, without etcd (the CLI runs as a child process in a temp dir
// holding plans/runbook.yaml and its offline plan): `apply` refuses a plan while a running apply holds
// the lock, before it writes anything, and reports a lock left by a dead pid as stale with the exact
// force-unlock command; `force-unlock LOCK_ID` refuses a wrong ID and a holder that still runs (unless
// --force), needs --force without a terminal, prints what it removed (text and --json), finds the lock
// through --state, SPEC or .etcdplan/*; apply releases the lock when it fails and on SIGTERM; and
// status shows the holder, or a stale lock with the force-unlock command.
import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {createServer, type Socket} from 'node:net'
import {hostname, userInfo} from 'node:os'
import {dirname, join} from 'node:path'
import {randomUUID} from 'node:crypto'
import {CLIENT_PORT, pickLoopbackHosts} from '../../lab/loopback-hosts.js'
import {namedMembers, writeMigrationSpec} from '../../lab/migration-spec.js'
import {cliPath, repoRoot} from '../fixtures/repo-root.js'
import {runCli, type CliResult} from '../fixtures/run-cli.js'
import {tempDir} from '../fixtures/temp-dir.js'

const STACK = /\n\s+at .+:\d+:\d+/
const LOCK = join('.etcdplan', 'runbook', 'state.json.lock')
const JOURNAL = join('.etcdplan', 'runbook', 'state.json')

const show = (r: CliResult) => `exit ${r.status}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`

/** A temp dir with the runbook spec and its offline plan (plan.json), as a user would have them. */
function workspace(): string {
  const dir = tempDir('etcdplan-lock-cli-')
  copyFileSync(join(repoRoot, 'plans', 'runbook.yaml'), join(dir, 'runbook.yaml'))
  const planned = runCli(['plan', 'runbook.yaml', '--offline', '-o', 'plan.json'], {cwd: dir})
  assert.equal(planned.status, 0, show(planned))
  return dir
}

/** Writes a lock as an apply with this pid would have; returns its ID and the file's bytes. */
function writeLock(dir: string, pid: number, path = LOCK): {id: string; text: string} {
  const id = randomUUID()
  const text = `${JSON.stringify({kind: 'etcdplan-lock', id, pid, host: hostname(), user: userInfo().username, operation: 'apply', planHash: 'sha256:feed', name: 'runbook', createdAt: new Date(Date.now() - 90_000).toISOString(), etcdplanVersion: '0.1.0'}, null, 2)}\n`
  mkdirSync(dirname(join(dir, path)), {recursive: true})
  writeFileSync(join(dir, path), text)
  return {id, text}
}

async function deadPid(): Promise<number> {
  const child = spawn('true', {stdio: 'ignore'})
  await new Promise((resolve) => child.once('exit', resolve))
  assert.ok(child.pid !== undefined)
  return child.pid
}

const lockText = (dir: string, path = LOCK) => readFileSync(join(dir, path), 'utf8')

describe('etcdplan apply and the state lock', () => {
  it('refuses while a running apply holds the lock, with its details, before writing the journal', () => {
    const dir = workspace()
    // This test process stands for the running apply: its pid is alive on this host.
    const held = writeLock(dir, process.pid)
    const started = performance.now()
    const r = runCli(['apply', 'plan.json'], {cwd: dir})
    assert.equal(r.status, 1, show(r))
    assert.ok(performance.now() - started < 10_000)
    assert.match(r.stderr, /^Error: Error acquiring the state lock/, show(r))
    for (const detail of [`ID:        ${held.id}`, `Path:      ${LOCK}`, `Who:       ${userInfo().username}@${hostname()}`, `Pid:       ${process.pid} (running on this host)`, 'Plan:      sha256:feed', /Created: {3}\S+ \(1m3\ds ago\)/]) {
      if (typeof detail === 'string') assert.ok(r.stderr.includes(detail), `no "${detail}"\n${show(r)}`)
      else assert.match(r.stderr, detail, show(r))
    }
    assert.match(r.stderr, /--lock-timeout/)
    assert.doesNotMatch(r.stderr, STACK)
    assert.equal(lockText(dir), held.text, 'the holder\'s lock is untouched')
    assert.equal(existsSync(join(dir, JOURNAL)), false, 'the refused apply wrote no journal')

    // --json: the refusal is one JSON line.
    const json = runCli(['apply', 'plan.json', '--json'], {cwd: dir})
    assert.equal(json.status, 1, show(json))
    const error = JSON.parse(json.stdout.trim()) as {type: string; error: {message: string}}
    assert.equal(error.type, 'error')
    assert.match(error.error.message, /^Error acquiring the state lock/)
    assert.ok(error.error.message.includes(held.id))

    // --lock-timeout waits, then gives up while it is still held.
    const waited = runCli(['apply', 'plan.json', '--lock-timeout', '1s'], {cwd: dir})
    assert.equal(waited.status, 1, show(waited))
    assert.match(waited.stderr, /Waiting up to 1s for the state lock/, show(waited))
    assert.match(waited.stderr, /Error acquiring the state lock.*\(waited 1s\)/, show(waited))
    assert.equal(lockText(dir), held.text)
  })

  it('reports a lock whose pid is dead as stale with the force-unlock command; once removed, apply gets past it and releases its own lock when it fails', async () => {
    const dir = workspace()
    const stale = writeLock(dir, await deadPid())
    const r = runCli(['apply', 'plan.json'], {cwd: dir})
    assert.equal(r.status, 1, show(r))
    assert.match(r.stderr, /Error acquiring the state lock: the lock is STALE/, show(r))
    assert.ok(r.stderr.includes(`    etcdplan force-unlock ${stale.id}\n`), `no force-unlock command\n${show(r)}`)
    assert.equal(lockText(dir), stale.text, 'a stale lock is not broken automatically')
    assert.equal(existsSync(join(dir, JOURNAL)), false)

    const unlocked = runCli(['force-unlock', stale.id, '--force'], {cwd: dir})
    assert.equal(unlocked.status, 0, show(unlocked))
    assert.equal(existsSync(join(dir, LOCK)), false)

    // Nothing runs at the runbook's addresses: apply now fails on the cluster, not on the lock, and
    // takes its lock away with it.
    const again = runCli(['apply', 'plan.json'], {cwd: dir})
    assert.equal(again.status, 1, show(again))
    assert.doesNotMatch(again.stderr, /state lock/, show(again))
    assert.match(again.stderr, /cannot reach the cluster/, show(again))
    assert.equal(existsSync(join(dir, LOCK)), false, 'a failed apply released its lock')
  })

  it('names --state in the force-unlock command when the journal is elsewhere', async () => {
    const dir = workspace()
    const journal = join('elsewhere', 'journal.json')
    const stale = writeLock(dir, await deadPid(), `${journal}.lock`)
    const r = runCli(['apply', 'plan.json', '--state', journal], {cwd: dir})
    assert.equal(r.status, 1, show(r))
    assert.ok(r.stderr.includes(`etcdplan force-unlock ${stale.id} --state ${journal}`), show(r))
    // Without --state force-unlock does not know that journal…
    const lost = runCli(['force-unlock', stale.id, '--force'], {cwd: dir})
    assert.equal(lost.status, 1, show(lost))
    assert.match(lost.stderr, new RegExp(`no state lock has the ID ${stale.id}`), show(lost))
    // …with it, it removes the lock.
    const unlocked = runCli(['force-unlock', stale.id, '--state', journal, '--force'], {cwd: dir})
    assert.equal(unlocked.status, 0, show(unlocked))
    assert.equal(existsSync(join(dir, `${journal}.lock`)), false)
  })

  it('refuses a --lock-timeout that is not a duration', () => {
    const r = runCli(['apply', 'plan.json', '--lock-timeout', 'soon'], {cwd: workspace()})
    assert.equal(r.status, 1, show(r))
    assert.match(r.stderr, /--lock-timeout "soon" is not a duration/, show(r))
  })

  it('releases the lock and exits 143 on SIGTERM while it holds it', async (t) => {
    const dir = tempDir('etcdplan-lock-sigterm-')
    const hosts = await pickLoopbackHosts(2)
    const members = namedMembers('etcd', hosts)
    const spec = await writeMigrationSpec({name: 'sigterm', dir, source: [members[0]!], target: members})
    const planned = runCli(['plan', spec.path, '--offline', '-o', 'plan.json'], {cwd: dir})
    assert.equal(planned.status, 0, show(planned))
    // A "member" that accepts connections and never answers: apply holds the lock while it waits.
    const sockets: Socket[] = []
    const silent = createServer((socket) => sockets.push(socket))
    await new Promise<void>((resolve) => silent.listen(CLIENT_PORT, hosts[0], resolve))
    try {
      const child = spawn(process.execPath, [cliPath, 'apply', 'plan.json'], {cwd: dir, stdio: ['ignore', 'pipe', 'pipe']})
      let stderr = ''
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
      const lockPath = join(dir, '.etcdplan', 'sigterm', 'state.json.lock')
      const deadline = Date.now() + 15_000
      while (!existsSync(lockPath) && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
      assert.ok(existsSync(lockPath), `apply never took the lock\n${stderr}`)
      const lock = JSON.parse(readFileSync(lockPath, 'utf8')) as {pid: number}
      assert.equal(lock.pid, child.pid)
      child.kill('SIGTERM')
      const code = await exited
      t.diagnostic(`exit ${code}; stderr: ${stderr.trim() || '(none)'}`)
      assert.equal(code, 143, stderr)
      assert.equal(existsSync(lockPath), false, 'SIGTERM released the lock')
    } finally {
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => silent.close(resolve))
    }
  })
})

describe('etcdplan status and the state lock', () => {
  it('shows who holds the lock, a stale one with the force-unlock command, and nothing when it is free', async () => {
    const dir = workspace()
    // Nothing runs at the runbook's addresses: status exits 1 (unreachable) but still reports.
    const free = runCli(['status', 'runbook.yaml'], {cwd: dir})
    assert.equal(free.status, 1, show(free))
    assert.doesNotMatch(free.stdout, /^Lock:/m, show(free))
    assert.equal((JSON.parse(runCli(['status', 'runbook.yaml', '--json'], {cwd: dir}).stdout) as {lock: unknown}).lock, null)

    const held = writeLock(dir, process.pid)
    const running = runCli(['status', 'runbook.yaml'], {cwd: dir})
    assert.ok(running.stdout.includes(`Lock: held by ${userInfo().username}@${hostname()}, pid ${process.pid} (running), apply since `), show(running))
    assert.ok(running.stdout.includes(`ID ${held.id}`), show(running))
    assert.match(running.stdout.trimEnd().split('\n').at(-1) ?? '', /^Journal:/, 'the journal line stays last')

    const stale = writeLock(dir, await deadPid())
    const r = runCli(['status', 'runbook.yaml'], {cwd: dir})
    assert.match(r.stdout, /^Lock: STALE: left by .* \(no longer running\)/m, show(r))
    assert.ok(r.stdout.includes(`remove it with: etcdplan force-unlock ${stale.id}`), show(r))
    const json = JSON.parse(runCli(['status', 'runbook.yaml', '--json'], {cwd: dir}).stdout) as {lock: {info: {id: string}; holder: string; forceUnlock: string}}
    assert.equal(json.lock.info.id, stale.id)
    assert.equal(json.lock.holder, 'not-running')
    assert.equal(json.lock.forceUnlock, `etcdplan force-unlock ${stale.id}`)
    assert.equal(lockText(dir), stale.text, 'status only reads')
  })
})

describe('etcdplan force-unlock', () => {
  it('explains itself in --help, with LOCK_ID and examples, and is listed', () => {
    const r = runCli(['force-unlock', '--help'])
    assert.equal(r.status, 0, show(r))
    assert.match(r.stdout, /force-unlock LOCK_ID \[SPEC\]/)
    for (const text of ['--force', '--state', 'EXAMPLES', 'Error acquiring the state lock', 'STALE']) assert.ok(r.stdout.includes(text), `--help lacks ${text}`)
    assert.match(runCli(['--help']).stdout, /force-unlock/)
  })

  it('refuses an ID no lock has, naming the ID that is held, and keeps the lock', async () => {
    const dir = workspace()
    const held = writeLock(dir, await deadPid())
    const r = runCli(['force-unlock', 'not-the-id', '--force'], {cwd: dir})
    assert.equal(r.status, 1, show(r))
    assert.match(r.stderr, /no state lock has the ID not-the-id/, show(r))
    assert.ok(r.stderr.includes(`has the ID ${held.id}`), show(r))
    assert.doesNotMatch(r.stderr, STACK)
    assert.equal(lockText(dir), held.text)
    // With no lock at all, it says there is nothing to unlock.
    const none = runCli(['force-unlock', 'not-the-id', '--force'], {cwd: workspace()})
    assert.equal(none.status, 1, show(none))
    assert.match(none.stderr, /there is no lock/, show(none))
  })

  it('refuses a lock whose holder still runs on this host unless --force', () => {
    const dir = workspace()
    const held = writeLock(dir, process.pid)
    const r = runCli(['force-unlock', held.id], {cwd: dir})
    assert.equal(r.status, 1, show(r))
    assert.match(r.stderr, /still running: pid \d+ on this host/, show(r))
    assert.match(r.stderr, /--force/)
    assert.equal(lockText(dir), held.text)
    const forced = runCli(['force-unlock', held.id, '--force'], {cwd: dir})
    assert.equal(forced.status, 0, show(forced))
    assert.equal(existsSync(join(dir, LOCK)), false)
  })

  it('without a terminal, needs --force, and keeps the lock meanwhile', async () => {
    const dir = workspace()
    const held = writeLock(dir, await deadPid())
    const r = runCli(['force-unlock', held.id], {cwd: dir})
    assert.equal(r.status, 1, show(r))
    assert.match(r.stderr, /needs confirmation, and there is no terminal to ask/, show(r))
    assert.equal(lockText(dir), held.text)
  })

  it('removes the lock with that ID and prints what it removed', async () => {
    const dir = workspace()
    const pid = await deadPid()
    const held = writeLock(dir, pid)
    const r = runCli(['force-unlock', held.id, '--force'], {cwd: dir})
    assert.equal(r.status, 0, show(r))
    assert.match(r.stdout, /successfully unlocked: removed \.etcdplan\/runbook\/state\.json\.lock/)
    assert.ok(r.stdout.includes(`ID:        ${held.id}`), show(r))
    assert.ok(r.stdout.includes(`Pid:       ${pid} (not running on this host)`), show(r))
    assert.equal(existsSync(join(dir, LOCK)), false)
  })

  it('finds the lock through SPEC too, and prints JSON with --json', async () => {
    const dir = workspace()
    const held = writeLock(dir, await deadPid())
    const r = runCli(['force-unlock', held.id, 'runbook.yaml', '--force', '--json'], {cwd: dir})
    assert.equal(r.status, 0, show(r))
    const out = JSON.parse(r.stdout) as {removed: boolean; path: string; holder: string; lock: {id: string; name: string}}
    assert.equal(out.removed, true)
    assert.equal(out.path, LOCK)
    assert.equal(out.holder, 'not-running')
    assert.equal(out.lock.id, held.id)
    assert.equal(out.lock.name, 'runbook')
    assert.equal(existsSync(join(dir, LOCK)), false)
    // A refusal with --json is one JSON error line.
    const again = runCli(['force-unlock', held.id, 'runbook.yaml', '--force', '--json'], {cwd: dir})
    assert.equal(again.status, 1, show(again))
    assert.equal((JSON.parse(again.stdout) as {type: string}).type, 'error')
  })

  it('points at a lock file that is not a lock, to be removed by hand', () => {
    const dir = workspace()
    mkdirSync(join(dir, '.etcdplan', 'runbook'), {recursive: true})
    writeFileSync(join(dir, LOCK), 'garbage')
    const r = runCli(['force-unlock', 'some-id', '--force'], {cwd: dir})
    assert.equal(r.status, 1, show(r))
    assert.match(r.stderr, /is not an etcdplan lock/, show(r))
    assert.ok(r.stderr.includes(`rm ${LOCK}`), show(r))
    assert.equal(lockText(dir), 'garbage')
    const applied = runCli(['apply', 'plan.json'], {cwd: dir})
    assert.equal(applied.status, 1, show(applied))
    assert.match(applied.stderr, /Error acquiring the state lock: the lock file .* is not an etcdplan lock/, show(applied))
  })
})
