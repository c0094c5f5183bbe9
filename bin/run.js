#!/usr/bin/env node
// oclif entry point: runs the compiled commands in dist/src/commands (built by `npm ci` via `prepare`).
import {execute} from '@oclif/core'

await execute({dir: import.meta.url})
