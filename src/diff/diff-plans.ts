// Two plans of one migration compared (`etcdplan diff OLD NEW`): the spec, the observed cluster, the
// planned members, the steps, the configs they write, the warnings and the summary. Pure: the files
// are read and checked by the command (plan-file.ts); plans of different migrations are refused,
// since their step ids would match by accident.
import type {Plan} from '../plan/types.js'
import {UserError} from '../user-error.js'
import {diffConfigs} from './diff-configs.js'
import {diffObservation} from './diff-observation.js'
import {diffSteps} from './diff-steps.js'
import {fieldChanges, sameValue} from './field-changes.js'
import type {Change, PlanDiff} from './plan-diff.js'

export const DIFF_EXIT_TROUBLE = 2

/** Every top-level field a section below already covers; any other that differs is listed under `other`. */
const COVERED = new Set(['name', 'strategy', 'specHash', 'options', 'observation', 'members', 'warnings', 'steps', 'summary', 'contentHash'])

export function diffPlans(before: Plan, after: Plan, files: {readonly old: string; readonly new: string}): PlanDiff {
  if (before.name !== after.name) {
    throw new UserError(
      `${files.old} and ${files.new} are plans of different migrations ("${before.name}" and "${after.name}"): their steps cannot be compared`,
      'diff two plans made from the same spec (the same name:), e.g. the plan under review and the plan made again from its spec',
      DIFF_EXIT_TROUBLE,
      'plan-other-migration',
      {old: before.name, new: after.name},
    )
  }
  const oldMembers = new Map(before.members.map((m) => [m.name, m.action]))
  const newMembers = new Map(after.members.map((m) => [m.name, m.action]))
  const diff: Omit<PlanDiff, 'same'> = {
    name: after.name,
    old: {file: files.old, contentHash: before.contentHash},
    new: {file: files.new, contentHash: after.contentHash},
    specHash: change(before.specHash, after.specHash),
    strategy: change<string>(before.strategy, after.strategy),
    options: fieldChanges(before.options, after.options),
    observation: diffObservation(before.observation, after.observation),
    members: {
      added: [...newMembers.keys()].filter((n) => !oldMembers.has(n)),
      removed: [...oldMembers.keys()].filter((n) => !newMembers.has(n)),
      changed: [...newMembers].flatMap(([name, action]) => (oldMembers.has(name) && oldMembers.get(name) !== action ? [{field: name, old: oldMembers.get(name), new: action}] : [])),
    },
    steps: diffSteps(before.steps, after.steps),
    configs: diffConfigs(before.steps, after.steps),
    warnings: {
      added: after.warnings.map((w) => w.message).filter((m) => !before.warnings.some((w) => w.message === m)),
      removed: before.warnings.map((w) => w.message).filter((m) => !after.warnings.some((w) => w.message === m)),
    },
    summary: change(before.summary, after.summary),
    other: fieldChanges(before, after, '', COVERED),
  }
  // The content hash covers every field: equal hashes are equal plans.
  return {same: before.contentHash === after.contentHash, ...diff}
}

function change<T>(a: T, b: T): Change<T> | null {
  return sameValue(a, b) ? null : {old: a, new: b}
}
