// Times the CLI commands that talk to a cluster (`status SPEC`, live `plan SPEC`) against a real
// 3-member etcd on loopback: writes a 3 → 3 join spec (lab/migration-spec.ts), starts its source
// members (lab/local-cluster.ts), runs hyperfine on the two commands, and stops every member it
// started, also when hyperfine or the start fails or the run is interrupted.
// Run by scripts/bench-cli.sh; alone (after `npm run build`): node dist/lab/bench-cli-live.js JSON_OUT [hyperfine options...]
import {spawnSync} from 'node:child_process'
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {loadSpecFile} from '../src/spec/load-spec.js'
import type {Spec} from '../src/spec/types.js'
import {startSourceCluster, stopAllMembers} from './local-cluster.js'
import {pickLoopbackHosts} from './loopback-hosts.js'
import {namedMembers, writeMigrationSpec} from './migration-spec.js'

const CLI = resolve(import.meta.dirname, '../../bin/run.js')

async function main(): Promise<number> {
  const [jsonOut, ...hyperfineOptions] = process.argv.slice(2)
  if (jsonOut === undefined) throw new Error('usage: node dist/lab/bench-cli-live.js JSON_OUT [hyperfine options...]')
  const dir = await mkdtemp(join(tmpdir(), 'etcdplan-bench-cli-'))
  let spec: Spec | null = null
  const stop = async () => {
    if (spec !== null) await stopAllMembers(spec)
    spec = null
  }
  // Ctrl-C while hyperfine runs: stop the members (async, through their pid files) before exiting.
  const interrupted = () => void stop().finally(() => process.exit(130))
  process.once('SIGINT', interrupted)
  process.once('SIGTERM', interrupted)
  try {
    const hosts = await pickLoopbackHosts(6)
    const members = namedMembers('etcd', hosts)
    const written = await writeMigrationSpec({name: 'bench-cli', dir, source: members.slice(0, 3), target: members.slice(3)})
    const loaded = await loadSpecFile(written.path)
    if (loaded.spec === null) throw new Error(`the benchmark's spec does not load:\n${loaded.diagnostics.map((d) => d.message).join('\n')}`)
    spec = loaded.spec
    await startSourceCluster(spec)
    // The state journal is looked up relative to the current directory: run in the temp dir, so none is found.
    const run = spawnSync('hyperfine', [...hyperfineOptions, '--export-json', resolve(jsonOut), `${CLI} status ${written.path} --no-color`, `${CLI} plan ${written.path} --no-color`], {stdio: ['ignore', 'inherit', 'inherit'], cwd: dir})
    return run.status ?? 1
  } finally {
    await stop()
    await rm(dir, {recursive: true, force: true})
  }
}

process.exitCode = await main()
