// The state lock (src/apply/state-lock.ts), without etcd: what a lock file records; that a second
// acquire fails at once with "Error acquiring the state lock" and the holder's details, that a timeout
// waits for a release and gives up when none comes; that a lock whose pid is dead on this host is
// reported as stale with the force-unlock command (and left in place); that release never removes
// another apply's lock; that an unreadable lock file is refused by name; that of many simultaneous
// acquires exactly one wins; and that a process holding the lock releases it on SIGTERM, SIGINT and exit.
import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {mkdir} from 'node:fs/promises'
import {hostname, userInfo} from 'node:os'
import {join} from 'node:path'
import {acquireStateLock, lockPathFor, StateLockError} from '../../src/apply/state-lock.js'
import {newLockInfo, type StateLockInfo} from '../../src/apply/state-lock-info.js'
import {forceUnlockCommand} from '../../src/apply/state-lock-messages.js'
import {holdStateLock} from '../../src/apply/hold-state-lock.js'
import {parseLockTimeout} from '../../src/apply/lock-timeout.js'
import {defaultJournalPath} from '../../src/apply/journal.js'
import {UserError} from '../../src/user-error.js'
import {tempDir} from '../fixtures/temp-dir.js'

const PLAN_HASH = 'sha256:0123456789abcdef'
const info = (overrides: Partial<StateLockInfo> = {}): StateLockInfo => ({...newLockInfo({name: 'lockme', planHash: PLAN_HASH, version: '9.9.9'}), ...overrides})

function journalIn(prefix: string): string {
  return join(tempDir(`etcdplan-lock-${prefix}-`), '.etcdplan', 'lockme', 'state.json')
}

function lockFile(journalPath: string): StateLockInfo {
  return JSON.parse(readFileSync(lockPathFor(journalPath), 'utf8')) as StateLockInfo
}

/** The pid of a process that has surely exited (and been reaped). */
async function deadPid(): Promise<number> {
  const child = spawn('true', {stdio: 'ignore'})
  await new Promise((resolve) => child.once('exit', resolve))
  assert.ok(child.pid !== undefined)
  return child.pid
}

async function rejection(promise: Promise<unknown>): Promise<StateLockError> {
  try {
    await promise
  } catch (error) {
    assert.ok(error instanceof StateLockError, `not a StateLockError: ${String(error)}`)
    assert.ok(error instanceof UserError, 'a lock error is a user error: no stack trace')
    return error
  }
  assert.fail('acquiring the lock did not fail')
}

describe('acquireStateLock', () => {
  it('creates <journal>.lock with the id, pid, host, user, operation, plan hash, name, start time and version', async () => {
    const journalPath = journalIn('fields')
    const before = Date.now()
    const lock = await acquireStateLock({journalPath, info: info(), timeoutMs: 0})
    assert.equal(lock.path, `${journalPath}.lock`)
    assert.equal(lock.waitedMs, 0)
    const written = lockFile(journalPath)
    assert.equal(written.kind, 'etcdplan-lock')
    assert.match(written.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    assert.equal(written.id, lock.info.id)
    assert.equal(written.pid, process.pid)
    assert.equal(written.host, hostname())
    assert.equal(written.user, userInfo().username)
    assert.equal(written.operation, 'apply')
    assert.equal(written.planHash, PLAN_HASH)
    assert.equal(written.name, 'lockme')
    assert.equal(written.etcdplanVersion, '9.9.9')
    const created = Date.parse(written.createdAt)
    assert.ok(created >= before - 1000 && created <= Date.now(), written.createdAt)
    assert.equal(new Date(created).toISOString(), written.createdAt)
    assert.equal(lock.release(), 'released')
    assert.equal(existsSync(lock.path), false)
  })

  it('fails at once for a second apply, with "Error acquiring the state lock" and who holds it', async (t) => {
    const journalPath = journalIn('held')
    const first = await acquireStateLock({journalPath, info: info(), timeoutMs: 0})
    const started = performance.now()
    const error = await rejection(acquireStateLock({journalPath, info: info(), timeoutMs: 0}))
    const elapsed = performance.now() - started
    t.diagnostic(`refused in ${elapsed.toFixed(0)} ms`)
    assert.ok(elapsed < 1000, `took ${elapsed} ms`)
    assert.equal(error.problem, 'held')
    assert.match(error.message, /^Error acquiring the state lock/)
    assert.match(error.message, /Lock Info:/)
    for (const detail of [`ID:        ${first.info.id}`, `Path:      ${first.path}`, 'Operation: apply', `Who:       ${first.info.user}@${first.info.host}`, `Pid:       ${process.pid} (running on this host)`, `Plan:      ${PLAN_HASH}`, 'Version:   9.9.9', `Created:   ${first.info.createdAt}`]) {
      assert.ok(error.message.includes(detail), `no "${detail}" in:\n${error.message}`)
    }
    assert.match(error.message, /\(\d+m?s ago\)/)
    assert.match(error.hint ?? '', /--lock-timeout/)
    assert.deepEqual(error.holder, first.info)
    // The holder's lock is untouched.
    assert.equal(lockFile(journalPath).id, first.info.id)
    first.release()
  })

  it('with a timeout, waits while the lock is held and takes it once it is released', async (t) => {
    const journalPath = journalIn('wait')
    const first = await acquireStateLock({journalPath, info: info(), timeoutMs: 0})
    setTimeout(() => first.release(), 600)
    const waitedFor: string[] = []
    const started = performance.now()
    const second = await acquireStateLock({journalPath, info: info(), timeoutMs: 10_000, pollMs: 50, onWait: (holder) => waitedFor.push(holder.id)})
    const elapsed = performance.now() - started
    t.diagnostic(`acquired after ${elapsed.toFixed(0)} ms (released at 600 ms)`)
    assert.deepEqual(waitedFor, [first.info.id], 'onWait is told once, with the holder')
    assert.ok(elapsed >= 550 && elapsed < 5000, `took ${elapsed} ms`)
    assert.ok(second.waitedMs >= 550)
    assert.equal(lockFile(journalPath).id, second.info.id)
    assert.notEqual(second.info.id, first.info.id)
    second.release()
  })

  it('with a timeout that expires, fails after waiting it out', async (t) => {
    const journalPath = journalIn('expire')
    const first = await acquireStateLock({journalPath, info: info(), timeoutMs: 0})
    const started = performance.now()
    const error = await rejection(acquireStateLock({journalPath, info: info(), timeoutMs: 800, pollMs: 100}))
    const elapsed = performance.now() - started
    t.diagnostic(`gave up after ${elapsed.toFixed(0)} ms (timeout 800 ms)`)
    assert.ok(elapsed >= 780 && elapsed < 3000, `took ${elapsed} ms`)
    assert.equal(error.problem, 'held')
    assert.match(error.message, /^Error acquiring the state lock/)
    assert.match(error.message, /\(waited 800ms\)/)
    assert.ok(error.message.includes(first.info.id))
    assert.equal(lockFile(journalPath).id, first.info.id)
    first.release()
  })

  it('reports a lock whose pid is dead on this host as stale, with the force-unlock command, at once and without breaking it', async () => {
    const journalPath = journalIn('stale')
    const pid = await deadPid()
    const stale = info({pid})
    await mkdir(join(journalPath, '..'), {recursive: true})
    writeFileSync(lockPathFor(journalPath), JSON.stringify(stale))
    const started = performance.now()
    const error = await rejection(acquireStateLock({journalPath, info: info(), timeoutMs: 10_000}))
    assert.ok(performance.now() - started < 1000, 'waiting cannot help a stale lock: it fails at once')
    assert.equal(error.problem, 'stale')
    assert.match(error.message, /^Error acquiring the state lock/)
    assert.match(error.message, /STALE/)
    assert.ok(error.message.includes(`pid ${pid}`), error.message)
    assert.ok(error.message.includes(`Pid:       ${pid} (not running on this host)`), error.message)
    // The journal is not at its default path, so the command names it.
    assert.ok((error.hint ?? '').includes(`etcdplan force-unlock ${stale.id} --state ${journalPath}`), error.hint)
    assert.equal(lockFile(journalPath).id, stale.id, 'a stale lock is never broken automatically')
  })

  it('does not call a lock held on another host stale (its pid means nothing here)', async () => {
    const journalPath = journalIn('remote')
    const remote = info({pid: await deadPid(), host: `not-${hostname()}`})
    await mkdir(join(journalPath, '..'), {recursive: true})
    writeFileSync(lockPathFor(journalPath), JSON.stringify(remote))
    const error = await rejection(acquireStateLock({journalPath, info: info(), timeoutMs: 0}))
    assert.equal(error.problem, 'held')
    assert.doesNotMatch(error.message, /STALE/)
    assert.ok(error.message.includes(`on not-${hostname()}`), error.message)
    assert.ok((error.hint ?? '').includes(`etcdplan force-unlock ${remote.id}`), error.hint)
  })

  it('refuses a lock file that is not a lock, naming it and what to do', async () => {
    for (const content of ['{"kind": "etcdplan-lock", "id": ', '', JSON.stringify({kind: 'etcdplan-journal', id: 'x'})]) {
      const journalPath = journalIn('corrupt')
      await mkdir(join(journalPath, '..'), {recursive: true})
      writeFileSync(lockPathFor(journalPath), content)
      const error = await rejection(acquireStateLock({journalPath, info: info(), timeoutMs: 5000}))
      assert.equal(error.problem, 'corrupt')
      assert.match(error.message, /^Error acquiring the state lock/)
      assert.ok(error.message.includes(lockPathFor(journalPath)), error.message)
      assert.match(error.message, /not an etcdplan lock/)
      assert.ok((error.hint ?? '').includes(`rm ${lockPathFor(journalPath)}`), error.hint)
      assert.equal(readFileSync(lockPathFor(journalPath), 'utf8'), content, 'the file is left as it was')
    }
  })

  it('lets exactly one of many simultaneous acquires win', async () => {
    const journalPath = journalIn('race')
    const results = await Promise.allSettled(Array.from({length: 16}, () => acquireStateLock({journalPath, info: info(), timeoutMs: 0})))
    const won = results.filter((r) => r.status === 'fulfilled')
    assert.equal(won.length, 1, 'exactly one holder')
    for (const r of results) if (r.status === 'rejected') assert.match((r.reason as Error).message, /^Error acquiring the state lock/)
    const winner = (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof acquireStateLock>>>).value
    assert.equal(lockFile(journalPath).id, winner.info.id)
    winner.release()
  })
})

describe('releasing the lock', () => {
  it('removes only its own lock: one taken since (after a force-unlock) is left alone', async () => {
    const journalPath = journalIn('release')
    const mine = await acquireStateLock({journalPath, info: info(), timeoutMs: 0})
    const theirs = info()
    writeFileSync(lockPathFor(journalPath), JSON.stringify(theirs))
    assert.equal(mine.release(), 'lost')
    assert.equal(lockFile(journalPath).id, theirs.id)
    assert.equal(mine.release(), 'released', 'a second release does nothing')
    assert.equal(lockFile(journalPath).id, theirs.id)
  })

  it('holdStateLock handles exit and signals only while the lock is held (none left after release or refusal)', async () => {
    const journalPath = journalIn('handlers')
    const counts = () => (['exit', 'SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((event) => process.listenerCount(event))
    const before = counts()
    const lock = await holdStateLock({journalPath, info: info(), timeoutMs: 0})
    assert.deepEqual(counts(), before.map((n) => n + 1))
    await rejection(holdStateLock({journalPath, info: info(), timeoutMs: 0}))
    assert.deepEqual(counts(), before.map((n) => n + 1), 'a refused hold leaves no handler behind')
    assert.equal(lock.release(), 'released')
    assert.deepEqual(counts(), before)
    assert.equal(existsSync(lockPathFor(journalPath)), false)
  })

  for (const [how, code] of [['SIGTERM', 143], ['SIGINT', 130], ['exit', 0]] as const) {
    it(`is done by a process that holds it and ends by ${how} (exit ${code})`, async () => {
      const journalPath = journalIn(`on-${how}`)
      const holdURL = new URL('../../src/apply/hold-state-lock.js', import.meta.url).href
      const infoURL = new URL('../../src/apply/state-lock-info.js', import.meta.url).href
      const script = `
        import {holdStateLock} from ${JSON.stringify(holdURL)}
        import {newLockInfo} from ${JSON.stringify(infoURL)}
        const lock = await holdStateLock({journalPath: ${JSON.stringify(journalPath)}, info: newLockInfo({name: 'lockme', planHash: 'h', version: '0'}), timeoutMs: 0})
        console.log('held ' + lock.info.id)
        process.stdin.on('data', () => process.exit(0))
        setInterval(() => {}, 1000)`
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], {stdio: ['pipe', 'pipe', 'inherit']})
      const id = await new Promise<string>((resolve, reject) => {
        child.stdout.setEncoding('utf8').once('data', (line: string) => resolve(line.trim().replace('held ', '')))
        child.once('exit', (c) => reject(new Error(`the child exited (${c}) before holding the lock`)))
      })
      assert.equal(lockFile(journalPath).id, id)
      const exited = new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)))
      if (how === 'exit') child.stdin.write('bye\n')
      else child.kill(how)
      assert.equal(await exited, code)
      assert.equal(existsSync(lockPathFor(journalPath)), false, 'the lock is gone')
    })
  }
})

describe('forceUnlockCommand and parseLockTimeout', () => {
  it('names --state only when the journal is not at its default path', () => {
    assert.equal(forceUnlockCommand('abc', defaultJournalPath('m'), 'm'), 'etcdplan force-unlock abc')
    assert.equal(forceUnlockCommand('abc', '/srv/m/state.json', 'm'), 'etcdplan force-unlock abc --state /srv/m/state.json')
    assert.equal(forceUnlockCommand('abc', '/srv/my m/state.json', 'm'), "etcdplan force-unlock abc --state '/srv/my m/state.json'")
  })

  it('reads --lock-timeout as a Go duration, 0 meaning no wait', () => {
    assert.equal(parseLockTimeout('0s'), 0)
    assert.equal(parseLockTimeout('0'), 0)
    assert.equal(parseLockTimeout('30s'), 30_000)
    assert.equal(parseLockTimeout('5m'), 300_000)
    assert.equal(parseLockTimeout('1m30s'), 90_000)
    assert.throws(() => parseLockTimeout('soon'), (e: Error) => e instanceof UserError && /--lock-timeout "soon" is not a duration/.test(e.message))
    assert.throws(() => parseLockTimeout('30'), (e: Error) => e instanceof UserError && /no unit/.test(e.message))
  })
})
