// The CLI's entry module, which the build bundles into dist/cli/etcdplan.js (src/bundle-cli.ts) and
// bin/run.js starts: oclif's runner, and every command by name (oclif's "explicit" command discovery,
// package.json oclif.commands). One bundle instead of ~400 module files is what makes a command start
// fast (README "Start-up"). The commands still import their core with `await import()` inside run(),
// which the bundle keeps as separate chunks, so a command loads only what it runs (and gRPC only
// where it talks to a cluster).
import {execute, settings} from '@oclif/core'
import apply from '../commands/apply.js'
import diff from '../commands/diff.js'
import forceUnlock from '../commands/force-unlock.js'
import init from '../commands/init.js'
import plan from '../commands/plan.js'
import show from '../commands/show.js'
import status from '../commands/status.js'
import validate from '../commands/validate.js'

export const COMMANDS = {apply, diff, 'force-unlock': forceUnlock, init, plan, show, status, validate}

/** Runs the command line (process.argv) as oclif does, from the package root that holds bin/run.js. */
export async function runCli(binUrl: string): Promise<void> {
  // etcdplan always runs compiled: never let oclif look for TypeScript sources or register ts-node
  // (it would with NODE_ENV=development or test, and read tsconfig.json on every start).
  settings.enableAutoTranspile = false
  await execute({dir: binUrl})
}
