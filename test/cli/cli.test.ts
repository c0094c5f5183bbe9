// The commands end to end, as a user runs them: exit codes, where output goes, JSON, colour, and
// clear errors (never a stack trace) for every kind of bad input.
import {describe, it, before} from 'node:test'
import assert from 'node:assert/strict'
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {spawnSync} from 'node:child_process'
import {cliPath, repoRoot} from '../fixtures/repo-root.js'
import {runCli} from '../fixtures/run-cli.js'
import {tempDir} from '../fixtures/temp-dir.js'
import {PLAN_FORMAT_VERSION} from '../../src/plan/types.js'

const ANSI = /\u001b\[/
const STACK = /\n\s+at .+:\d+:\d+/
const runbook = 'plans/runbook.yaml'
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')

describe('etcdplan --version and --help', () => {
  it('prints the version', () => {
    const r = runCli(['--version'])
    assert.equal(r.status, 0)
    assert.match(r.stdout, /^etcdplan\/\d+\.\d+\.\d+ /)
  })
  it('lists the commands with their summaries', () => {
    const r = runCli(['--help'])
    assert.equal(r.status, 0)
    for (const command of ['validate', 'plan', 'show']) assert.match(r.stdout, new RegExp(`\\b${command}\\b`))
  })
  it('teaches each command with examples', () => {
    const r = runCli(['plan', '--help'])
    assert.equal(r.status, 0)
    assert.match(r.stdout, /--offline/)
    assert.match(r.stdout, /--detailed-exitcode/)
    assert.match(r.stdout, /EXAMPLES/)
  })
})

describe('etcdplan validate', () => {
  it('accepts the runbook spec', () => {
    const r = runCli(['validate', runbook])
    assert.equal(r.status, 0, r.stderr + r.stdout)
    assert.match(r.stdout, /plans\/runbook\.yaml is valid/)
  })
  it('reports every problem at once with FILE:LINE:COL and exits 1', () => {
    const dir = tempDir('etcdplan-cli-')
    const spec = join(dir, 'bad.yaml')
    writeFileSync(
      spec,
      readFileSync(runbook, 'utf8')
        .replace('peerURL: http://127.0.2.1:2380', 'peerUrl: http://127.0.2.1:2380')
        .replace('learner: true', 'learner: yes please'),
    )
    const r = runCli(['validate', spec])
    assert.equal(r.status, 1)
    assert.match(r.stdout, new RegExp(`${spec.replace(/[.]/g, '\\.')}:\\d+:\\d+: error: .*peerUrl`))
    assert.match(r.stdout, /did you mean "peerURL"/)
    assert.match(r.stdout, /learner/)
    assert.doesNotMatch(r.stdout + r.stderr, STACK)
  })
  it('refuses a spec that cannot be planned safely, pointing at the setting to change', () => {
    const dir = tempDir('etcdplan-cli-')
    const spec = join(dir, 'voting.yaml')
    const text = readFileSync(runbook, 'utf8').replace(/learner: true/, 'learner: false')
    writeFileSync(spec, text)
    const r = runCli(['validate', spec])
    assert.equal(r.status, 1)
    const line = text.split('\n').findIndex((l) => /^\s*learner: false/.test(l)) + 1
    assert.match(r.stdout, new RegExp(`voting\\.yaml:${line}:\\d+: error: join\\.learner is false: etcd4 would join as a voter`))
    assert.match(r.stdout, /hint: set join\.learner: true/)
  })
  it('--json prints the diagnostics as JSON', () => {
    const r = runCli(['validate', runbook, '--json'])
    assert.equal(r.status, 0)
    const json = JSON.parse(r.stdout)
    assert.equal(json.valid, true)
    assert.equal(json.errors, 0)
  })
  it('says what to do when the spec file does not exist', () => {
    const r = runCli(['validate', '/nonexistent/etcdplan.yaml'])
    assert.equal(r.status, 1)
    assert.match(r.stdout + r.stderr, /\/nonexistent\/etcdplan\.yaml/)
    assert.doesNotMatch(r.stdout + r.stderr, STACK)
  })
})

describe('etcdplan plan --offline', () => {
  let dir: string
  before(() => {
    dir = tempDir('etcdplan-cli-')
  })

  it('prints the plan and the closing summary, without colour when not on a terminal', () => {
    const r = runCli(['plan', runbook, '--offline'])
    assert.equal(r.status, 0, r.stderr)
    assert.match(r.stdout, /add-learner\/etcd4/)
    assert.match(r.stdout, /Plan: 3 to add, 3 to change, 3 to remove \(3 config rewrites, 3 restarts\)\./)
    assert.doesNotMatch(r.stdout, ANSI)
  })
  it('colours on a terminal, but not with NO_COLOR', () => {
    // `script` (util-linux) runs the CLI on a pseudo-terminal.
    const onTty = (env: string) => spawnSync('script', ['-qec', `${env} ${process.execPath} ${cliPath} plan ${runbook} --offline`, '/dev/null'], {cwd: repoRoot, encoding: 'utf8', env: {...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined}})
    const coloured = onTty('')
    assert.equal(coloured.status, 0, coloured.stderr)
    assert.match(coloured.stdout, ANSI)
    assert.match(coloured.stdout, /Plan:(\u001b\[\d+m)? 3 to add/)
    assert.doesNotMatch(onTty('NO_COLOR=1').stdout, ANSI)
  })
  it('colours with FORCE_COLOR but never with NO_COLOR or --no-color', () => {
    assert.match(runCli(['plan', runbook, '--offline'], {env: {FORCE_COLOR: '1'}}).stdout, ANSI)
    assert.doesNotMatch(runCli(['plan', runbook, '--offline'], {env: {FORCE_COLOR: '1', NO_COLOR: '1'}}).stdout, ANSI)
    assert.doesNotMatch(runCli(['plan', runbook, '--offline', '--no-color'], {env: {FORCE_COLOR: '1'}}).stdout, ANSI)
  })
  it('-o writes the plan file, the same bytes as the committed example', () => {
    const out = join(dir, 'runbook.plan.json')
    const r = runCli(['plan', runbook, '--offline', '-o', out])
    assert.equal(r.status, 0, r.stderr)
    assert.match(r.stdout, /etcdplan apply/)
    assert.equal(readFileSync(out, 'utf8'), readFileSync('plans/runbook.plan.json', 'utf8'))
  })
  it('--json prints the plan JSON alone on stdout', () => {
    const r = runCli(['plan', runbook, '--offline', '--json'])
    assert.equal(r.status, 0)
    const plan = JSON.parse(r.stdout)
    assert.equal(plan.formatVersion, PLAN_FORMAT_VERSION)
    assert.deepEqual(plan.summary, {add: 3, change: 3, remove: 3, configRewrites: 3, restarts: 3})
  })
  it('--detailed-exitcode: 2 with changes, 0 without', () => {
    assert.equal(runCli(['plan', runbook, '--offline', '--detailed-exitcode']).status, 2)
    const same = join(dir, 'same.yaml')
    const three = [1, 2, 3].map((i) => `    - {name: etcd${i}, peerURL: 'http://127.0.1.${i}:2380', clientURL: 'http://127.0.1.${i}:2379'}`).join('\n')
    writeFileSync(same, `apiVersion: etcdplan/v1\nkind: Migration\nname: same\nsource:\n  members:\n${three}\ntarget:\n  members:\n${three}\n`)
    const r = runCli(['plan', same, '--offline', '--detailed-exitcode'])
    assert.equal(r.status, 0, r.stdout + r.stderr)
    assert.match(r.stdout, /No changes\./)
  })
  it('without --offline says that live planning is not available yet and how to plan offline', () => {
    const r = runCli(['plan', runbook])
    assert.equal(r.status, 1)
    assert.match(r.stderr, /--offline/)
    assert.doesNotMatch(r.stderr, STACK)
  })
  it('-o into a missing directory: a clear error before planning, exit 1, nothing created', () => {
    const missing = join(dir, 'missing')
    const r = runCli(['plan', runbook, '--offline', '-o', join(missing, 'x.plan.json')])
    assert.equal(r.status, 1)
    assert.match(r.stderr, new RegExp(`cannot write the plan file ${escape(missing)}/x\\.plan\\.json: its directory ${escape(missing)} does not exist; nothing was planned`))
    assert.match(r.stderr, new RegExp(`mkdir -p ${escape(missing)}`))
    assert.equal(r.stdout, '', 'refused before the plan is shown')
    assert.equal(existsSync(missing), false)
    assert.doesNotMatch(r.stderr, STACK)
  })
  it('an invalid spec: diagnostics on stderr, exit 1, no plan file written', () => {
    const bad = join(dir, 'bad.yaml')
    writeFileSync(bad, 'apiVersion: etcdplan/v1\nkind: Migration\nname: x\nsource: {members: []}\n')
    const out = join(dir, 'never.plan.json')
    const r = runCli(['plan', bad, '--offline', '-o', out])
    assert.equal(r.status, 1)
    assert.match(r.stderr, /error:/)
    assert.throws(() => readFileSync(out))
  })
})

describe('a spec this version cannot carry out: refused by validate, plan and apply, never half-applied', () => {
  const runbookText = readFileSync(runbook, 'utf8')
  /** The runbook spec with one line changed, in a temp dir; returns the spec path and the changed line's number. */
  const variant = (name: string, from: string, to: string) => {
    const dir = tempDir('etcdplan-cli-unsupported-')
    const text = runbookText.replace(from, to)
    assert.notEqual(text, runbookText, `test error: ${from} is not in the runbook`)
    const spec = join(dir, `${name}.yaml`)
    writeFileSync(spec, text)
    return {dir, spec, line: text.split('\n').findIndex((l) => l.includes(to.split('\n')[0]!)) + 1}
  }
  // What provider local cannot do: act on another host. Refused in its own words, at the value.
  const cases = [
    {setting: 'target.members.0.host', ...variant('target-host', 'clientURL: http://127.0.2.1:2379}', 'clientURL: http://127.0.2.1:2379, host: 127.0.2.1}'), col: 87, message: 'host of target member "etcd4" has no effect: provider local runs every member on this machine', hint: /hint: remove host, or set nodes.provider: ssh/},
    {setting: 'source.members.0.host', ...variant('source-host', 'clientURL: http://127.0.1.1:2379}', 'clientURL: http://127.0.1.1:2379, host: 127.0.1.1}'), col: 87, message: 'host of source member "etcd1" has no effect: provider local runs every member on this machine', hint: /hint: remove host, or set nodes.provider: ssh/},
  ]

  for (const c of cases) {
    it(`${c.setting}: validate exits 1 and points at the value (FILE:${c.line}:${c.col})`, () => {
      const r = runCli(['validate', c.spec])
      assert.equal(r.status, 1, r.stdout + r.stderr)
      assert.match(r.stdout, new RegExp(`${escape(c.spec)}:${c.line}:${c.col}: error: ${escape(c.message)}`))
      assert.match(r.stdout, c.hint)
      assert.doesNotMatch(r.stdout, /is valid/)
    })
    it(`${c.setting}: validate --json has the not-supported diagnostic`, () => {
      const r = runCli(['validate', c.spec, '--json'])
      assert.equal(r.status, 1)
      const json = JSON.parse(r.stdout)
      assert.equal(json.valid, false)
      const found = json.diagnostics.find((d: {code: string}) => d.code === 'not-supported')
      assert.deepEqual([found.severity, found.message, found.line, found.col, found.path.join('.')], ['error', c.message, c.line, c.col, c.setting])
    })
    it(`${c.setting}: plan --offline -o writes no plan`, () => {
      const out = join(c.dir, 'never.plan.json')
      const r = runCli(['plan', c.spec, '--offline', '-o', out])
      assert.equal(r.status, 1)
      assert.match(r.stderr, new RegExp(`:${c.line}:${c.col}: error: ${escape(c.message)}`))
      assert.equal(existsSync(out), false)
      assert.equal(r.stdout, '')
    })
    it(`${c.setting}: plan --offline --json prints one spec-invalid error object with the diagnostics`, () => {
      const r = runCli(['plan', c.spec, '--offline', '--json'])
      assert.equal(r.status, 1)
      assert.equal(r.stderr, '')
      assert.equal(r.stdout.trim().split('\n').length, 1, 'one JSON line')
      const {type, error} = JSON.parse(r.stdout)
      assert.equal(type, 'error')
      assert.equal(error.code, 'spec-invalid')
      assert.equal(error.message, `${c.spec} has errors; no plan was made`)
      assert.match(error.hint, /etcdplan validate/)
      assert.deepEqual(error.diagnostics, [{severity: 'error', code: 'not-supported', message: c.message, hint: error.diagnostics[0].hint, file: c.spec, line: c.line, col: c.col, path: c.setting.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s))}])
      assert.match(error.diagnostics[0].hint, /^remove /)
    })
    it(`${c.setting}: apply --json refuses it as JSON before contacting the cluster, creating nothing`, () => {
      const r = runCli(['apply', c.spec, '--json', '--auto-approve'], {cwd: c.dir})
      assert.equal(r.status, 1, r.stdout + r.stderr)
      const {type, error} = JSON.parse(r.stdout)
      assert.equal(type, 'error')
      assert.equal(error.code, 'spec-invalid')
      assert.equal(error.message, `${c.spec} has errors; nothing was changed`)
      assert.deepEqual(error.diagnostics.map((d: {code: string; line: number; col: number}) => [d.code, d.line, d.col]), [['not-supported', c.line, c.col]])
      assert.equal(existsSync(join(c.dir, '.etcdplan')), false)
    })
  }

  it('status --json: the same spec-invalid object, and the cluster is not asked', () => {
    const c = cases[0]!
    const r = runCli(['status', c.spec, '--json'], {cwd: c.dir})
    assert.equal(r.status, 1)
    const {error} = JSON.parse(r.stdout)
    assert.equal(error.code, 'spec-invalid')
    assert.equal(error.message, `${c.spec} has errors; the cluster was not contacted`)
    assert.deepEqual(error.diagnostics.map((d: {code: string; line: number; col: number}) => [d.code, d.line, d.col]), [['not-supported', c.line, c.col]])
  })
  it('apply without --json shows the diagnostics and no stack trace', () => {
    const c = cases[1]!
    const r = runCli(['apply', c.spec, '--auto-approve'], {cwd: c.dir})
    assert.equal(r.status, 1)
    assert.match(r.stderr, new RegExp(`:${c.line}:${c.col}: error: ${escape(c.message)}`))
    assert.match(r.stderr, /has errors; nothing was changed/)
    assert.doesNotMatch(r.stderr, STACK)
  })
})

describe('--state in a directory that does not exist: refused before the cluster is contacted, nothing created', () => {
  // No etcd here: the spec's members are on loopback addresses nothing listens on, so a check made
  // after contacting the cluster would fail differently ("cannot reach the cluster").
  const workspace = () => {
    const dir = tempDir('etcdplan-cli-state-')
    writeFileSync(join(dir, 'unused.yaml'), readFileSync(runbook, 'utf8').replace(/127\.0\.1\./g, '127.0.9.').replace(/127\.0\.2\./g, '127.0.10.'))
    const planned = runCli(['plan', 'unused.yaml', '--offline', '-o', 'plan.json'], {cwd: dir})
    assert.equal(planned.status, 0, planned.stderr)
    return dir
  }
  const MISSING = '/nonexistent-dir/x.json'
  const says = (r: {status: number | null; stdout: string; stderr: string}, directory: string) => {
    assert.equal(r.status, 1, r.stdout + r.stderr)
    assert.match(r.stderr, new RegExp(`Error: the directory ${escape(directory)} of --state does not exist; nothing was changed`))
    assert.match(r.stderr, /check the path, or leave --state out to use the default \.etcdplan\/runbook\/state\.json/)
    assert.doesNotMatch(r.stderr, /cannot reach the cluster/)
    assert.doesNotMatch(r.stderr, STACK)
    assert.equal(existsSync('/nonexistent-dir'), false)
  }
  const createdNothing = (dir: string) => assert.deepEqual(readdirSync(dir).sort(), ['plan.json', 'unused.yaml'])

  it('apply SPEC --state /nonexistent-dir/x.json', () => {
    const dir = workspace()
    says(runCli(['apply', 'unused.yaml', '--state', MISSING, '--auto-approve'], {cwd: dir}), '/nonexistent-dir')
    createdNothing(dir)
  })
  it('apply PLAN --state with a relative path whose directory is missing', () => {
    const dir = workspace()
    says(runCli(['apply', 'plan.json', '--state', 'stat/state.json'], {cwd: dir}), 'stat')
    createdNothing(dir)
  })
  it('apply --json: the same error as JSON', () => {
    const dir = workspace()
    const r = runCli(['apply', 'plan.json', '--state', MISSING, '--json'], {cwd: dir})
    assert.equal(r.status, 1)
    const {error} = JSON.parse(r.stdout)
    assert.equal(error.message, 'the directory /nonexistent-dir of --state does not exist; nothing was changed')
    createdNothing(dir)
  })
  it('status --state /nonexistent-dir/x.json', () => {
    const dir = workspace()
    const r = runCli(['status', 'unused.yaml', '--state', MISSING], {cwd: dir})
    says(r, '/nonexistent-dir')
    assert.equal(r.stdout, '', 'no status table: the cluster was not asked')
    createdNothing(dir)
  })
  it('force-unlock --state /nonexistent-dir/x.json', () => {
    const dir = workspace()
    const r = runCli(['force-unlock', '6d3f0a52-8f1e-4c7a-9b5e-2f1c0d9e4a11', '--state', MISSING, '--force'], {cwd: dir})
    assert.equal(r.status, 1)
    assert.match(r.stderr, /Error: the directory \/nonexistent-dir of --state does not exist; nothing was changed/)
    assert.match(r.stderr, /leave --state out to use the default \.etcdplan\/<name>\/state\.json/)
    assert.equal(existsSync('/nonexistent-dir'), false)
    createdNothing(dir)
  })
  it('--state below a regular file says which part is a file', () => {
    const dir = workspace()
    writeFileSync(join(dir, 'a-file'), 'not a directory\n')
    const r = runCli(['status', 'unused.yaml', '--state', 'a-file/journal/state.json'], {cwd: dir})
    assert.equal(r.status, 1)
    assert.match(r.stderr, /cannot keep the journal at a-file\/journal\/state\.json \(--state\): a-file is a file, not a directory; nothing was changed/)
  })
})

describe('etcdplan show', () => {
  it('renders the committed plan as markdown, identical to the committed rendering', () => {
    const r = runCli(['show', 'plans/runbook.plan.json', '--format', 'markdown'])
    assert.equal(r.status, 0, r.stderr)
    assert.equal(r.stdout, readFileSync('plans/runbook.plan.md', 'utf8'))
  })
  it('renders it for humans and as JSON', () => {
    assert.match(runCli(['show', 'plans/runbook.plan.json']).stdout, /Plan: 3 to add, 3 to change, 3 to remove \(3 config rewrites, 3 restarts\)\./)
    assert.equal(JSON.parse(runCli(['show', 'plans/runbook.plan.json', '--json']).stdout).name, 'runbook')
  })
  it('refuses a hand-edited plan with a clear message and exit 1', () => {
    const dir = tempDir('etcdplan-cli-')
    const edited = join(dir, 'edited.plan.json')
    writeFileSync(edited, readFileSync('plans/runbook.plan.json', 'utf8').replace('"catchUpTolerance": 100', '"catchUpTolerance": 1'))
    const r = runCli(['show', edited])
    assert.equal(r.status, 1)
    assert.match(r.stderr, /changed after it was made/)
    assert.match(r.stderr, /etcdplan plan -o/)
    assert.doesNotMatch(r.stderr, STACK)
  })
  it('--json errors are JSON too', () => {
    const r = runCli(['show', '/nonexistent.plan.json', '--json'])
    assert.equal(r.status, 1)
    assert.match(JSON.parse(r.stdout).error.message, /cannot read the plan file/)
  })
  it('an unknown flag is a usage error, not a crash', () => {
    const r = runCli(['show', 'plans/runbook.plan.json', '--fromat', 'markdown'])
    assert.notEqual(r.status, 0)
    assert.doesNotMatch(r.stderr, STACK)
  })
})
