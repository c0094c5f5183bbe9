// Build step: compiles the JSON Schemas in schemas/ with ajv into standalone JavaScript modules in
// dist/, next to the code that imports them, so that no command loads ajv or compiles a schema at
// start-up (compiling costs ~70 ms for the spec schema and ~200 ms for the plan schema; the
// generated code loads in a few). `npm run build` runs it after tsc; the output is never committed,
// so it is always the schema's.
import {readFileSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {fileURLToPath, pathToFileURL} from 'node:url'
import type {Options} from 'ajv'

/** ajv's options for the spec schema: `validate` reports every problem, with what a hint needs. */
const SPEC_AJV_OPTIONS: Options = {
  allErrors: true, // every problem in one pass
  verbose: true, // parentSchema on each error: the allowed keys and descriptions for hints
  strict: true,
  // URL syntax is checked by parseMemberUrl with messages that say what is wrong; `format: uri`
  // stays in the schema for editors only, so ajv-formats is not needed.
  validateFormats: false,
  // minLength counts UTF-16 units instead of calling ajv's runtime helper, so the generated code
  // imports nothing; the schema only uses minLength 1, where the two agree.
  unicode: false,
  logger: false,
}

/** ajv's options for the plan schema: a plan that breaks it is refused whole. */
const PLAN_AJV_OPTIONS: Options = {
  allErrors: false, // the first problem is enough: a plan that breaks its schema is refused whole
  strict: false, // the step union is if/then per kind, which strict mode flags without need
  validateFormats: false,
  unicode: false, // the generated code then imports nothing from ajv
  logger: false,
  inlineRefs: false, // one function per step kind instead of each definition copied into every use
}

export interface GeneratedValidator {
  readonly schema: URL
  readonly output: URL
  readonly options: Options
}

// Schemas are read from the repository (npm runs the build there); the validators are written next to
// this compiled file (dist/src/...), so a build into another --outDir gets its own.
const root = new URL(`${pathToFileURL(process.cwd()).href}/`)
const compiled = new URL('./', import.meta.url)

export const GENERATED_VALIDATORS: readonly GeneratedValidator[] = [
  {schema: new URL('schemas/spec.schema.json', root), output: new URL('spec/spec-validator.generated.js', compiled), options: SPEC_AJV_OPTIONS},
  {schema: new URL('schemas/plan.schema.json', root), output: new URL('plan/plan-validator.generated.js', compiled), options: PLAN_AJV_OPTIONS},
]

export function generateValidatorSource({schema, options}: GeneratedValidator): string {
  // ajv is CommonJS; createRequire keeps its default exports usable from ESM.
  const require = createRequire(import.meta.url)
  const Ajv = require('ajv') as typeof import('ajv').default
  const standaloneCode = require('ajv/dist/standalone').default as typeof import('ajv/dist/standalone/index.js').default
  const ajv = new Ajv({...options, code: {source: true, esm: true, lines: true}})
  const validate = ajv.compile(JSON.parse(readFileSync(schema, 'utf8')))
  const name = schema.pathname.split('/').at(-1)
  const header = `// GENERATED from schemas/${name} by src/generate-validators.ts during npm run build.\n`
  return `${header}${standaloneCode(ajv, validate)}\n`
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const validator of GENERATED_VALIDATORS) writeFileSync(validator.output, generateValidatorSource(validator))
}
