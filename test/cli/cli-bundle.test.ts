// The CLI runs from one bundle (dist/cli/etcdplan.js, src/bundle-cli.ts) whose commands still load
// only what they run: issue 14 asks to keep gRPC out of the commands that do not talk to a cluster.
// grpc-js loads node's http2 module as it loads; the test records the built-ins each command
// loaded. `status` (which reaches the members) is the control that shows the record sees gRPC.
import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {cliPath, repoRoot} from '../fixtures/repo-root.js'
import {tempDir} from '../fixtures/temp-dir.js'

const recorder = join(repoRoot, 'test', 'fixtures', 'record-builtins.mjs')
const spec = join(repoRoot, 'plans', 'runbook.yaml')

function builtinsLoadedBy(args: readonly string[]): {status: number | null; builtins: string[]} {
  const out = join(tempDir('etcdplan-bundle-'), 'builtins.json')
  const run = spawnSync(process.execPath, ['--import', recorder, cliPath, ...args], {cwd: repoRoot, encoding: 'utf8', timeout: 30_000, env: {...process.env, ETCDPLAN_TEST_BUILTINS_OUT: out}})
  return {status: run.status, builtins: JSON.parse(readFileSync(out, 'utf8')) as string[]}
}

describe('the bundled CLI', () => {
  for (const args of [['validate', spec], ['plan', spec, '--offline', '--no-color'], ['--help'], ['show', join(repoRoot, 'plans', 'runbook.plan.json')]]) {
    it(`loads no gRPC for \`${args.map((a) => a.replace(`${repoRoot}/`, '')).join(' ')}\``, () => {
      const {status, builtins} = builtinsLoadedBy(args)
      assert.equal(status, 0)
      assert.ok(!builtins.includes('NativeModule http2'), 'http2 (gRPC) was loaded')
    })
  }

  it('loads gRPC for `status`, which talks to the members (the control: the record sees it)', () => {
    // plans/runbook.yaml's members answer nowhere here: status reports them unreachable.
    const {builtins} = builtinsLoadedBy(['status', spec, '--json'])
    assert.ok(builtins.includes('NativeModule http2'))
  })
})
