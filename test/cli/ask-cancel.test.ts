// A question at the terminal abandoned with Ctrl-C or Ctrl-D is the user declining, not a bug:
// the command exits (130 for Ctrl-C, as a shell reports an interrupted command; 1 for end of input)
// with "nothing was changed" and no stack trace, and changes nothing. Driven through force-unlock's
// question on a pseudo-terminal made by `script` (util-linux); no etcd involved.
import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {randomUUID} from 'node:crypto'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {hostname, userInfo} from 'node:os'
import {join} from 'node:path'
import {cliPath} from '../fixtures/repo-root.js'
import {tempDir} from '../fixtures/temp-dir.js'

/** A stale lock: its pid is above Linux's largest possible pid (4194304), so it cannot be running. */
function staleLock(dir: string): {id: string; path: string; text: string} {
  const id = randomUUID()
  const path = join(dir, '.etcdplan', 'm', 'state.json.lock')
  const text = `${JSON.stringify({kind: 'etcdplan-lock', id, pid: 99_999_999, host: hostname(), user: userInfo().username, operation: 'apply', planHash: 'sha256:feed', name: 'm', createdAt: new Date().toISOString(), etcdplanVersion: '0.1.0'})}\n`
  mkdirSync(join(dir, '.etcdplan', 'm'), {recursive: true})
  writeFileSync(path, text)
  return {id, path, text}
}

/** Runs force-unlock on a pseudo-terminal and types `key` once the question shows. */
function answerOnTerminal(dir: string, id: string, key: string): Promise<{status: number | null; output: string}> {
  const command = `${process.execPath} ${cliPath} force-unlock ${id} --state ${join(dir, '.etcdplan', 'm', 'state.json')}`
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], {cwd: dir, env: {...process.env, NO_COLOR: '1'}, stdio: ['pipe', 'pipe', 'pipe']})
    let output = ''
    let typed = false
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (chunk: string) => {
      output += chunk
      if (!typed && output.includes('Enter a value')) {
        typed = true
        child.stdin.write(key)
      }
    })
    child.once('error', reject)
    child.once('close', (status) => {
      clearTimeout(timer)
      resolve({status, output})
    })
  })
}

describe('a question abandoned at the terminal', () => {
  it('Ctrl-C: exits 130, says nothing was changed, keeps the lock', async () => {
    const dir = tempDir('etcdplan-ask-')
    const lock = staleLock(dir)
    const result = await answerOnTerminal(dir, lock.id, '\x03')
    assert.equal(result.status, 130, result.output)
    assert.match(result.output, /Do you really want to force-unlock/)
    assert.match(result.output, /cancelled at the question \(Ctrl-C\); nothing was changed/)
    assert.doesNotMatch(result.output, /This is a bug|\n\s+at /)
    assert.equal(readFileSync(lock.path, 'utf8'), lock.text)
  })

  it('Ctrl-D: exits 1, says nothing was changed, keeps the lock', async () => {
    const dir = tempDir('etcdplan-ask-')
    const lock = staleLock(dir)
    const result = await answerOnTerminal(dir, lock.id, '\x04')
    assert.equal(result.status, 1, result.output)
    assert.match(result.output, /no answer \(input closed\); nothing was changed/)
    assert.doesNotMatch(result.output, /This is a bug|\n\s+at /)
    assert.equal(readFileSync(lock.path, 'utf8'), lock.text)
  })
})
