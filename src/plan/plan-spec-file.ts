// Spec file → diagnostics and, when the spec is valid and can be migrated safely, a plan. Shared by
// `validate` (which only reports) and `plan` (which shows or writes the plan), so both find the same
// problems, including a spec that parses fine but cannot be planned without risking quorum.
import type {Observation} from '../cluster/observation.js'
import {observeFromSpec} from '../cluster/offline-observation.js'
import type {Diagnostic} from '../spec/diagnostic.js'
import {loadSpecFile} from '../spec/load-spec.js'
import type {Spec} from '../spec/types.js'
import {buildPlan} from './build-plan.js'
import type {Plan} from './types.js'
import {UnsafePlanError} from './unsafe-plan-error.js'

export interface SpecPlanResult {
  readonly spec: Spec | null
  readonly plan: Plan | null
  readonly diagnostics: readonly Diagnostic[]
  /** The spec's text by file name, for code frames under diagnostics. */
  readonly sources: ReadonlyMap<string, string>
}

export async function planSpecFile(file: string, observe: (spec: Spec) => Observation | Promise<Observation> = observeFromSpec): Promise<SpecPlanResult> {
  const loaded = await loadSpecFile(file)
  const sources = new Map(loaded.text === null ? [] : [[file, loaded.text]])
  if (loaded.spec === null || loaded.specHash === null) return {spec: null, plan: null, diagnostics: loaded.diagnostics, sources}
  try {
    const plan = buildPlan(loaded.spec, loaded.specHash, await observe(loaded.spec), file)
    return {spec: loaded.spec, plan, diagnostics: loaded.diagnostics, sources}
  } catch (error) {
    if (!(error instanceof UnsafePlanError)) throw error
    const refusals = error.reasons.map((reason): Diagnostic => {
      const {line, col} = loaded.locate(reason.path)
      return {severity: 'error', code: reason.code, message: reason.message, hint: reason.hint, file, line, col, path: reason.path}
    })
    return {spec: loaded.spec, plan: null, diagnostics: [...loaded.diagnostics, ...refusals], sources}
  }
}
