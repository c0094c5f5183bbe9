// The on-disk plan: JSON described by schemas/plan.schema.json. This module alone reads and writes
// it. Reading checks, in order: JSON syntax, format version, schema, content hash — so an edited,
// truncated or foreign file is refused with a message that says which, never half-trusted.
import {readFile, rename, rm, writeFile} from 'node:fs/promises'
import {hashOf} from '../canonical-json.js'
import {deepFreeze} from '../deep-freeze.js'
import {UserError} from '../user-error.js'
import {planSchemaValidator} from './plan-schema.js'
import {PLAN_FORMAT_VERSION, type Plan} from './types.js'

export class PlanFileError extends UserError {
  constructor(
    readonly file: string,
    readonly code: 'plan-unreadable' | 'plan-unwritable' | 'plan-not-json' | 'plan-format-version' | 'plan-schema' | 'plan-hash-mismatch',
    message: string,
    hint: string,
  ) {
    super(`${file}: ${message}`, hint)
    this.name = 'PlanFileError'
  }
}

/** The bytes of a plan file: fields in the planner's order, two-space indent, final newline. */
export function serialisePlan(plan: Plan): string {
  return `${JSON.stringify(plan, null, 2)}\n`
}

/** Writes through a temporary file and a rename, so a reader never sees half a plan. */
export async function writePlanFile(file: string, plan: Plan): Promise<void> {
  const temporary = `${file}.tmp-${process.pid}`
  try {
    await writeFile(temporary, serialisePlan(plan))
    await rename(temporary, file)
  } catch (error) {
    await rm(temporary, {force: true})
    const code = (error as NodeJS.ErrnoException).code
    const reason = code === 'ENOENT' ? 'its directory does not exist' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message
    throw new PlanFileError(file, 'plan-unwritable', `cannot write the plan file (${reason})`, 'choose a path in an existing directory you can write to, e.g. -o plans/NAME.plan.json')
  }
}

export async function readPlanFile(file: string): Promise<Plan> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message
    throw new PlanFileError(file, 'plan-unreadable', `cannot read the plan file (${reason})`, 'check the path, or write a plan with `etcdplan plan -o FILE`')
  }
  return parsePlan(text, file)
}

export function parsePlan(text: string, file: string): Plan {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new PlanFileError(file, 'plan-not-json', `not a plan file: ${(error as Error).message}`, 'write the plan again with `etcdplan plan -o FILE`')
  }
  const version = (value as {formatVersion?: unknown} | null)?.formatVersion
  if (version !== PLAN_FORMAT_VERSION) {
    throw new PlanFileError(
      file,
      'plan-format-version',
      version === undefined ? 'not a plan file (no formatVersion)' : `plan format version ${JSON.stringify(version)} is not supported (this etcdplan reads version ${PLAN_FORMAT_VERSION})`,
      'make the plan again with this version of etcdplan',
    )
  }
  const validate = planSchemaValidator()
  if (!validate(value)) {
    const first = validate.errors?.[0]
    const where = first?.instancePath || '(top level)'
    throw new PlanFileError(file, 'plan-schema', `the plan file does not match its schema at ${where}: ${first?.message ?? 'invalid'}`, 'do not edit plan files by hand; make the plan again with `etcdplan plan -o FILE`')
  }
  const plan = value as Plan
  const {contentHash, ...body} = plan
  const actual = hashOf(body)
  if (actual !== contentHash) {
    throw new PlanFileError(file, 'plan-hash-mismatch', `the plan was changed after it was made (content hash ${actual} ≠ recorded ${contentHash})`, 'do not edit plan files by hand; make the plan again with `etcdplan plan -o FILE` and review it')
  }
  return deepFreeze(plan)
}

