// The on-disk plan: JSON described by schemas/plan.schema.json. This module alone reads and writes
// it. Reading checks, in order: JSON syntax, format version, schema, content hash — so an edited,
// truncated or foreign file is refused with a message that says which, never half-trusted.
import {readFile, rename, rm, writeFile} from 'node:fs/promises'
import {hashOf} from '../canonical-json.js'
import {deepFreeze} from '../deep-freeze.js'
import {UserError} from '../user-error.js'
import {planSchemaValidator} from './plan-schema.js'
import {PLAN_FORMAT_VERSION, PRECONDITION_CHECKS, type Plan} from './types.js'

export class PlanFileError extends UserError {
  constructor(
    readonly file: string,
    override readonly code: 'plan-unreadable' | 'plan-unwritable' | 'plan-not-json' | 'plan-wrong-kind' | 'plan-format-version' | 'plan-schema' | 'plan-unknown-check' | 'plan-hash-mismatch',
    message: string,
    hint: string,
  ) {
    super(`${file}: ${message}`, hint, 1, code, {file})
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
    const code = (error as NodeJS.ErrnoException).code
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (error as Error).message
    throw new PlanFileError(file, 'plan-unreadable', `cannot read the plan file (${reason})`, 'check the path, or write a plan with `etcdplan plan -o FILE`')
  }
  return parsePlan(text, file)
}

export function parsePlan(text: string, file: string): Plan {
  const again = 'write the plan again with `etcdplan plan -o FILE`'
  if (text.trim() === '') throw new PlanFileError(file, 'plan-not-json', 'not a plan file: the file is empty', again)
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    // A NUL or an invalid UTF-8 sequence (read as U+FFFD): not text at all, so no excerpt of it either.
    if (/[\u0000\uFFFD]/.test(text)) throw new PlanFileError(file, 'plan-not-json', 'not a plan file: it holds binary data, not JSON text', again)
    throw new PlanFileError(file, 'plan-not-json', `not a plan file: not valid JSON, truncated or corrupt (${jsonSyntaxError(error as Error, text)})`, again)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new PlanFileError(file, 'plan-not-json', `not a plan file: it holds ${Array.isArray(value) ? 'a JSON array' : `the JSON value ${JSON.stringify(value).slice(0, 40)}`}, not a plan object`, again)
  }
  if ((value as {kind?: unknown}).kind === 'etcdplan-journal') {
    throw new PlanFileError(file, 'plan-wrong-kind', 'not a plan file: it is an apply journal (state.json), which records an apply of a plan', 'apply the plan file `etcdplan plan -o FILE` wrote; apply finds the journal itself (or pass it with --state)')
  }
  const version = (value as {formatVersion?: unknown}).formatVersion
  if (version !== PLAN_FORMAT_VERSION) {
    throw new PlanFileError(
      file,
      'plan-format-version',
      version === undefined
        ? 'not a plan file (no formatVersion: every plan file records the plan format version it was written in)'
        : `plan format version ${JSON.stringify(version)} is not supported (this etcdplan reads version ${PLAN_FORMAT_VERSION})`,
      version === undefined ? again : 'make the plan again with this version of etcdplan',
    )
  }
  refuseUnknownChecks(value, file)
  const validate = planSchemaValidator()
  if (!validate(value)) {
    const first = validate.errors?.[0]
    const where = first?.instancePath || '(top level)'
    const extra = (first?.params as {additionalProperty?: unknown} | undefined)?.additionalProperty
    const what = `${first?.message ?? 'invalid'}${typeof extra === 'string' ? ` (${JSON.stringify(extra)})` : ''}`
    throw new PlanFileError(file, 'plan-schema', `the plan file does not match its schema at ${where}: ${what}`, 'do not edit plan files by hand; make the plan again with `etcdplan plan -o FILE`')
  }
  const plan = value as Plan
  const {contentHash, ...body} = plan
  const actual = hashOf(body)
  if (actual !== contentHash) {
    throw new PlanFileError(file, 'plan-hash-mismatch', `the plan was changed after it was made: edited by hand or damaged (content hash ${actual} ≠ recorded ${contentHash})`, 'do not edit plan files by hand; make the plan again with `etcdplan plan -o FILE` and review it')
  }
  return deepFreeze(plan)
}

/**
 * The applier evaluates exactly the checks a plan names, so a check this version has no gate for
 * (a plan from a newer etcdplan, or edited) is refused by name before anything runs.
 */
function refuseUnknownChecks(value: object, file: string): void {
  const steps = (value as {steps?: unknown}).steps
  if (!Array.isArray(steps)) return
  const known: readonly string[] = PRECONDITION_CHECKS
  for (const step of steps as {id?: unknown; preconditions?: unknown}[]) {
    const preconditions = typeof step === 'object' && step !== null && Array.isArray(step.preconditions) ? (step.preconditions as {check?: unknown}[]) : []
    for (const p of preconditions) {
      const check = typeof p === 'object' && p !== null ? p.check : undefined
      if (typeof check === 'string' && !known.includes(check)) {
        throw new PlanFileError(
          file,
          'plan-unknown-check',
          `step ${typeof step.id === 'string' ? step.id : '?'} needs the check "${check}", which this version of etcdplan does not know (it knows ${known.join(', ')}), so it cannot carry the step out as reviewed`,
          'make the plan again with this version of etcdplan (`etcdplan plan -o FILE`), or apply it with the etcdplan that made it',
        )
      }
    }
  }
}

/** JSON.parse's complaint without the excerpt of the input it quotes, with a line and column for its position. */
function jsonSyntaxError(error: Error, text: string): string {
  let message = error.message.replace(/, ".*" is not valid JSON$/s, '')
  // A file cut off between two tokens ends "Unexpected end of JSON input" with no position: it is the end.
  if (message === 'Unexpected end of JSON input') message = `${message} at position ${text.length}`
  const at = /at position (\d+)/.exec(message)
  if (at === null) return message
  const before = text.slice(0, Number(at[1]))
  const line = before.split('\n').length
  return `${message}, line ${line} column ${before.length - before.lastIndexOf('\n')}`
}
