// The command users run, bin/etcdplan (package.json "bin"): a shell script that execs node with a
// 1-MiB young generation and bin/run.js. Proves: it works through a symlink in another directory,
// as npm installs it; it replaces itself (the pid that was spawned is node running bin/run.js with
// --max-semi-space-size=1, so the state lock's pid, a kill and Ctrl-C reach etcdplan itself: SIGINT
// to that pid ends `status --watch` with 130); and package.json names it. No etcd involved: status
// reads a spec whose members answer nowhere.
import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {spawn, spawnSync} from 'node:child_process'
import {accessSync, constants, readFileSync, symlinkSync} from 'node:fs'
import {setTimeout as sleep} from 'node:timers/promises'
import {join} from 'node:path'
import {commandPath, repoRoot} from '../fixtures/repo-root.js'
import {tempDir} from '../fixtures/temp-dir.js'

const pkg = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {version: string; bin: Record<string, string>})

describe('the etcdplan command (bin/etcdplan)', () => {
  it('is what package.json installs, and is executable', () => {
    assert.deepEqual(pkg.bin, {etcdplan: 'bin/etcdplan'})
    accessSync(commandPath, constants.X_OK)
  })

  it('runs through a symlink in another directory, as npm links it', () => {
    const dir = tempDir('etcdplan-command-')
    symlinkSync(commandPath, join(dir, 'etcdplan'))
    const run = spawnSync(join(dir, 'etcdplan'), ['validate', join(repoRoot, 'plans', 'runbook.yaml')], {cwd: dir, encoding: 'utf8'})
    assert.equal(run.status, 0, run.stderr)
    assert.match(run.stdout, /runbook\.yaml is valid/)
    const shown = spawnSync(join(dir, 'etcdplan'), ['--version'], {cwd: dir, encoding: 'utf8'})
    assert.match(shown.stdout, new RegExp(`^etcdplan/${pkg.version.replace(/\./g, '\\.')} `))
  })

  it('becomes node running bin/run.js with a 1-MiB young generation in the same process, which a signal reaches', async () => {
    const dir = tempDir('etcdplan-command-')
    const child = spawn(commandPath, ['status', join(repoRoot, 'plans', 'runbook.yaml'), '--watch', '--interval', '1s', '--json'], {cwd: dir, stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    try {
      // The first report is printed by etcdplan itself: by then the shell has been replaced.
      for (let i = 0; i < 200 && !stdout.includes('\n'); i++) await sleep(50)
      assert.ok(stdout.includes('"migration":"runbook"'), `status --watch printed a report: ${stdout}`)
      const argv = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0').filter((a) => a !== '')
      assert.match(argv[0]!, /(^|\/)node$/, argv.join(' '))
      assert.equal(argv[1], '--max-semi-space-size=1')
      assert.equal(argv[2], join(repoRoot, 'bin', 'run.js'))
      assert.deepEqual(argv.slice(3, 5), ['status', join(repoRoot, 'plans', 'runbook.yaml')])
      child.kill('SIGINT')
      assert.equal(await exited, 130)
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
    }
  })
})
