#!/usr/bin/env node
// oclif entry point: runs the bundled CLI, dist/cli/etcdplan.js (built by `npm ci` via `prepare`;
// src/bundle-cli.ts says why it is one bundle).
import {readFileSync} from 'node:fs'

const argv = process.argv.slice(2)
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  // Fast path: answering --version needs no command framework. Same text as oclif's own --version.
  const {version} = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  process.stdout.write(`etcdplan/${version} ${process.platform}-${process.arch} node-${process.version}\n`)
} else {
  const {runCli} = await import('../dist/cli/etcdplan.js')
  await runCli(import.meta.url)
}
