#!/usr/bin/env node
// oclif entry point: runs the compiled commands in dist/src/commands (built by `npm ci` via `prepare`).
import {readFileSync} from 'node:fs'

const argv = process.argv.slice(2)
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  // Fast path: answering --version needs no command framework (loading oclif costs ~65 ms).
  // Same text as oclif's own --version.
  const {version} = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  process.stdout.write(`etcdplan/${version} ${process.platform}-${process.arch} node-${process.version}\n`)
} else {
  const {execute} = await import('@oclif/core')
  await execute({dir: import.meta.url})
}
