// Where the journal lives and which directories etcdplan may create (src/apply/journal.ts,
// resolveJournalPath; src/apply/state-lock.ts, createDirectory): only the default .etcdplan/<name>/
// is created; a --state path must be in a directory that exists, or it is refused by name, because a
// mistyped one would silently start a second journal beside the real one and its lock.
import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {existsSync, mkdirSync, writeFileSync} from 'node:fs'
import {join, resolve} from 'node:path'
import {JournalError, defaultJournalPath, resolveJournalPath} from '../../src/apply/journal.js'
import {acquireStateLock} from '../../src/apply/state-lock.js'
import {newLockInfo} from '../../src/apply/state-lock-info.js'
import {UserError} from '../../src/user-error.js'
import {tempDir} from '../fixtures/temp-dir.js'

describe('resolveJournalPath', () => {
  it('without --state: the default path, whose directory etcdplan may create', () => {
    assert.deepEqual(resolveJournalPath(undefined, 'runbook'), {path: defaultJournalPath('runbook'), createDir: true})
  })

  it('--state spelling out the default (even absolute) is the default', () => {
    const absolute = resolve(defaultJournalPath('fresh-migration-nobody-ran'))
    assert.deepEqual(resolveJournalPath(absolute, 'fresh-migration-nobody-ran'), {path: absolute, createDir: true})
  })

  it('--state in an existing directory: used as given, never created', () => {
    const path = join(tempDir('etcdplan-location-'), 'state.json')
    assert.deepEqual(resolveJournalPath(path, 'runbook'), {path, createDir: false})
  })

  it('--state in a missing directory: refused, naming the directory and the default', () => {
    const missing = join(tempDir('etcdplan-location-'), 'typo')
    assert.throws(
      () => resolveJournalPath(join(missing, 'state.json'), 'runbook'),
      (error: unknown) => {
        assert.ok(error instanceof JournalError && error instanceof UserError)
        assert.equal(error.message, `the directory ${missing} of --state does not exist; nothing was changed`)
        assert.equal(error.hint, 'check the path, or leave --state out to use the default .etcdplan/runbook/state.json')
        return true
      },
    )
    assert.equal(existsSync(missing), false)
  })

  it('--state below a regular file: says which part is a file', () => {
    const dir = tempDir('etcdplan-location-')
    writeFileSync(join(dir, 'a-file'), 'x\n')
    const path = join(dir, 'a-file', 'journal', 'state.json')
    assert.throws(() => resolveJournalPath(path, 'runbook'), new RegExp(`cannot keep the journal at .*: ${join(dir, 'a-file').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is a file, not a directory`))
  })
})

describe('the state lock of a --state journal', () => {
  const info = () => newLockInfo({name: 'lockme', planHash: 'sha256:0', version: '0.0.0'})

  it('with createDirectory false, a missing directory is refused and not created', async () => {
    const missing = join(tempDir('etcdplan-location-'), 'gone')
    await assert.rejects(acquireStateLock({journalPath: join(missing, 'state.json'), info: info(), timeoutMs: 0, createDirectory: false}), (error: unknown) => {
      assert.ok(error instanceof UserError)
      assert.match(error.message, /^Error acquiring the state lock: the directory .*gone of the lock .*gone\/state\.json\.lock is missing or not a directory; nothing was changed$/)
      return true
    })
    assert.equal(existsSync(missing), false)
  })

  it('with createDirectory false, an existing directory is used', async () => {
    const dir = join(tempDir('etcdplan-location-'), 'there')
    mkdirSync(dir)
    const lock = await acquireStateLock({journalPath: join(dir, 'state.json'), info: info(), timeoutMs: 0, createDirectory: false})
    assert.equal(existsSync(join(dir, 'state.json.lock')), true)
    assert.equal(lock.release(), 'released')
  })

  it('by default (etcdplan\'s own .etcdplan/<name>/) the directory is created', async () => {
    const journalPath = join(tempDir('etcdplan-location-'), '.etcdplan', 'lockme', 'state.json')
    const lock = await acquireStateLock({journalPath, info: info(), timeoutMs: 0})
    assert.equal(existsSync(`${journalPath}.lock`), true)
    assert.equal(lock.release(), 'released')
  })
})
