// Compiles schemas/spec.schema.json with ajv into standalone JavaScript, written to
// src/spec/spec-validator.generated.ts, so `etcdplan validate` neither loads ajv nor compiles at
// startup. test/spec/spec-validator-generated.test.ts fails when the file is out of date.
//
// Regenerate after changing the schema (or upgrading ajv):
//   npx tsc -p . && node dist/src/spec/generate-spec-validator.js
import {readFileSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {fileURLToPath} from 'node:url'
import {SPEC_AJV_OPTIONS, SPEC_SCHEMA_URL} from './spec-schema.js'

/** Where the generated module lives, relative to this file compiled (dist/src/spec) or not (src/spec). */
export const GENERATED_VALIDATOR_URL = new URL('../../../src/spec/spec-validator.generated.ts', import.meta.url)

const HEADER = `// @ts-nocheck
// GENERATED from schemas/spec.schema.json by src/spec/generate-spec-validator.ts. Do not edit.
// Regenerate: npx tsc -p . && node dist/src/spec/generate-spec-validator.js
`

export function generateSpecValidatorSource(): string {
  // ajv is CommonJS; createRequire keeps its default exports usable from ESM.
  const require = createRequire(import.meta.url)
  const Ajv = require('ajv') as typeof import('ajv').default
  const standaloneCode = require('ajv/dist/standalone').default as typeof import('ajv/dist/standalone/index.js').default
  const ajv = new Ajv({...SPEC_AJV_OPTIONS, code: {source: true, esm: true, lines: true}})
  const validate = ajv.compile(JSON.parse(readFileSync(SPEC_SCHEMA_URL, 'utf8')))
  return `${HEADER}${standaloneCode(ajv, validate)}\n`
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(GENERATED_VALIDATOR_URL, generateSpecValidatorSource())
}
