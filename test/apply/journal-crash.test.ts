// The journal survives a SIGKILL inside its own write. A child process writes a new version of a
// journal while the failpoint hook kills it inside the write path (the new content is in the temp
// file and fsynced, the rename not done). Proves: the journal on disk is still the previous version,
// byte for byte, and reads back valid; the only debris is the dead writer's temp file; and a write
// that is not killed replaces the journal whole. No etcd involved.
import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {readdir, readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {newJournal, readJournal, writeJournal, type Journal} from '../../src/apply/journal.js'
import type {Plan} from '../../src/plan/types.js'
import {startFailpointHook} from '../fixtures/failpoint-hook.js'
import {tempDir} from '../fixtures/temp-dir.js'

const journalModule = pathToFileURL(join(import.meta.dirname, '../../src/apply/journal.js')).href

function journalOf(steps: number, done: number): Journal {
  const plan = {name: 'crash', contentHash: 'a'.repeat(64), specHash: 'b'.repeat(64), steps: Array.from({length: steps}, (_, i) => ({id: `step-${i}`}))} as unknown as Plan
  const journal = newJournal(plan, new Date('2026-11-25T12:00:00Z'))
  return {...journal, steps: journal.steps.map((s, i) => (i < done ? {...s, status: 'done', attempts: 1, outcome: `did ${i}`} : s))}
}

/** Runs writeJournal(path, journal) in a child process with the given environment; resolves with how it ended. */
function writeInChild(path: string, journal: Journal, env: Record<string, string>): Promise<{status: number | null; signal: NodeJS.Signals | null}> {
  const script = `const {writeJournal} = await import(${JSON.stringify(journalModule)}); await writeJournal(process.argv[1], JSON.parse(process.argv[2]))`
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, path, JSON.stringify(journal)], {env: {...process.env, ...env}, stdio: 'ignore'})
    child.once('error', reject)
    child.once('close', (status, signal) => resolve({status, signal}))
  })
}

describe('journal: a kill inside its write', () => {
  it('leaves the previous journal whole, byte for byte', async () => {
    const dir = tempDir('etcdplan-journal-crash-')
    const path = join(dir, 'state.json')
    const previous = journalOf(400, 150)
    await writeJournal(path, previous)
    const before = await readFile(path, 'utf8')
    const hook = await startFailpointHook(dir, (call) => (call.point === 'journal-write' ? 'kill' : 'continue'))
    try {
      const result = await writeInChild(path, journalOf(400, 151), hook.env)
      assert.equal(result.signal, 'SIGKILL', 'the writer was not killed inside the write')
      assert.deepEqual(hook.calls.map((c) => c.point), ['journal-write'])
    } finally {
      await hook.close()
    }
    assert.equal(await readFile(path, 'utf8'), before)
    assert.deepEqual((await readJournal(path))?.steps.filter((s) => s.status === 'done').length, 150)
    const debris = (await readdir(dir)).filter((f) => f.startsWith('state.json.') && f.endsWith('.tmp'))
    assert.equal(debris.length, 1, `expected the dead writer's temp file: ${debris.join(', ')}`)
    // What the temp file holds is the whole new version (written and fsynced before the rename point).
    assert.equal(JSON.parse(await readFile(join(dir, debris[0]!), 'utf8')).steps.filter((s: {status: string}) => s.status === 'done').length, 151)
  })

  it('replaces the journal whole when the write is not killed', async () => {
    const dir = tempDir('etcdplan-journal-crash-')
    const path = join(dir, 'state.json')
    await writeJournal(path, journalOf(10, 1))
    const hook = await startFailpointHook(dir)
    try {
      const result = await writeInChild(path, journalOf(10, 2), hook.env)
      assert.equal(result.status, 0)
      assert.deepEqual(hook.calls.map((c) => c.point), ['journal-write'])
    } finally {
      await hook.close()
    }
    assert.equal((await readJournal(path))?.steps.filter((s) => s.status === 'done').length, 2)
    assert.deepEqual((await readdir(dir)).filter((f) => f.endsWith('.tmp')), [])
  })
})
