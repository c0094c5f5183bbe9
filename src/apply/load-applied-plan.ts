// What `etcdplan apply FILE` applies: FILE is either a saved plan (JSON; its spec is read from
// --spec or the path the plan records, and must hash the same) or a spec (planned now, against the
// live cluster). Every refusal here happens before anything touches the cluster.
import {readFile} from 'node:fs/promises'
import {dirname, extname, join} from 'node:path'
import {parse as parseYaml} from 'yaml'
import {checkJournalMatchesPlan, readJournal} from './journal.js'
import {checkPlanCurrent, positionOf} from './check-plan-current.js'
import {observeSpecCluster} from '../cluster/observe-spec-cluster.js'
import {ClusterUnreachableError} from '../cluster/observe-cluster.js'
import {readPlanFile} from '../plan/plan-file.js'
import {planSpecFile} from '../plan/plan-spec-file.js'
import {renderEtcdConfig} from '../plan/etcd-config.js'
import {differenceFromPlanner} from '../plan/rederive-plan.js'
import type {Plan, RenderedConfig, Step} from '../plan/types.js'
import type {Diagnostic} from '../spec/diagnostic.js'
import {loadSpecFile} from '../spec/load-spec.js'
import type {MemberSpec, Spec} from '../spec/types.js'
import {UserError} from '../user-error.js'
import {fsErrorReason} from '../fs-error-reason.js'

export type AppliedPlan =
  | {readonly source: 'plan-file'; readonly planFile: string; readonly plan: Plan; readonly spec: Spec; readonly specFile: string}
  | {readonly source: 'spec'; readonly plan: Plan; readonly spec: Spec; readonly specFile: string; readonly diagnostics: readonly Diagnostic[]}

/** Spec problems found while loading: the command renders them with code frames. */
export class SpecProblemsError extends UserError {
  constructor(readonly file: string, readonly diagnostics: readonly Diagnostic[], readonly sources: ReadonlyMap<string, string>) {
    super(`${file} has errors; nothing was changed`, `fix them (\`etcdplan validate ${file}\`), then run apply again`, 1, 'spec-invalid', {file, diagnostics})
  }
}

/**
 * Whether apply should read FILE as a saved plan (else as a spec). A JSON object with a formatVersion
 * is a plan; one with an apiVersion (or kind Migration) is a spec written as JSON. Anything else named
 * `.json` (missing, empty, truncated, binary, an array, a journal) is a plan file gone wrong, so that
 * readPlanFile refuses it in a plan's words rather than the spec loader in a spec's.
 */
export async function isPlanFile(file: string): Promise<boolean> {
  const ext = extname(file).toLowerCase()
  const namedAsJson = ext === '.json'
  const namedAsYaml = ext === '.yaml' || ext === '.yml'
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch {
    return namedAsJson
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    // A truncated plan file (YAML flow mappings start with { too, so not when named as a spec).
    return namedAsJson || (!namedAsYaml && text.trimStart().startsWith('{'))
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return namedAsJson
  if ('formatVersion' in value) return true
  if ('apiVersion' in value || (value as {kind?: unknown}).kind === 'Migration') return false
  return namedAsJson || 'contentHash' in value || 'steps' in value
}

export async function loadPlanFileWithSpec(planFile: string, specOverride: string | undefined): Promise<AppliedPlan> {
  const plan = await readPlanFile(planFile)
  const specFile = specOverride ?? plan.specFile
  if (specOverride !== undefined && (await holdsPlan(specOverride))) {
    throw new UserError(`--spec ${specOverride} is a plan file, not a spec; nothing was changed`, `pass the spec the plan was made from (it records ${plan.specFile}), or leave --spec out`, 1, 'invalid-flag')
  }
  const loaded = await loadSpecFile(specFile)
  if (loaded.text === null) {
    const reason = await unreadableReason(specFile)
    if (specOverride === undefined) {
      throw new UserError(
        `cannot read ${specFile} (${reason}), the spec the plan ${planFile} was made from (the path is relative to where \`etcdplan plan\` ran); nothing was changed`,
        `run apply from that directory, or pass the spec with --spec PATH`,
        1,
        'spec-unreadable',
      )
    }
    throw new UserError(`cannot read the spec ${specFile} given with --spec (${reason}); nothing was changed`, `check the path; --spec takes the spec the plan was made from (it records ${plan.specFile})`, 1, 'spec-unreadable')
  }
  const sources = new Map([[specFile, loaded.text]])
  if (loaded.spec === null || loaded.specHash === null) throw new SpecProblemsError(specFile, loaded.diagnostics, sources)
  if (loaded.specHash !== plan.specHash) {
    throw new UserError(
      `the spec ${specFile} is not the one the plan ${planFile} was made from (it changed since, or it is another migration's); nothing was changed`,
      `make a new plan from the spec as it is now: etcdplan plan ${specFile} -o ${planFile}`,
      1,
      'plan-spec-mismatch',
    )
  }
  const mismatches = [
    ...(loaded.spec.name === plan.name ? [] : [`the plan is for migration "${plan.name}", the spec for "${loaded.spec.name}"`]),
    ...planSpecMismatches(plan, loaded.spec),
  ]
  if (mismatches.length > 0) {
    const shown = mismatches.slice(0, 3).join('; ') + (mismatches.length > 3 ? `; and ${mismatches.length - 3} more` : '')
    throw new UserError(
      `the plan ${planFile} does not match its spec ${specFile}: ${shown}; nothing was changed`,
      `the plan was edited (its content hash recomputed) or made by a broken etcdplan: make it again with \`etcdplan plan ${specFile} -o ${planFile}\` and review it`,
      1,
      'plan-spec-mismatch',
      {mismatches},
    )
  }
  refuseUnlessPlannerMade(plan, loaded.spec, planFile, specFile)
  return {source: 'plan-file', planFile, plan, spec: loaded.spec, specFile}
}

/**
 * Apply evaluates the preconditions the plan carries, so a plan with a gate dropped (content hash
 * recomputed, members and configs untouched) must not run: it must be what the planner makes of its
 * spec and the observation it records.
 */
function refuseUnlessPlannerMade(plan: Plan, spec: Spec, planFile: string, specFile: string): void {
  const difference = differenceFromPlanner(plan, spec)
  if (difference === null) return
  throw new UserError(
    `the plan ${planFile} is not what etcdplan plans from its spec ${specFile} and the cluster it records: ${difference}; nothing was changed`,
    `the plan was edited (its content hash recomputed) or made by another version of etcdplan: make it again with \`etcdplan plan ${specFile} -o ${planFile}\` and review it`,
    1,
    'plan-not-from-planner',
  )
}

/**
 * Where the plan disagrees with the spec whose hash it carries: members, peer and client URLs, config
 * paths and contents, data dirs. The content hash proves the file is what was written, not that it
 * was written by the planner; these are what the steps act on, so each must be the spec's.
 */
export function planSpecMismatches(plan: Plan, spec: Spec): string[] {
  const out: string[] = []
  if (plan.strategy !== spec.strategy) out.push(`the plan's strategy is ${plan.strategy}, the spec's ${spec.strategy}`)
  const inSpec = new Map([...spec.source.members, ...spec.target.members].map((m) => [m.name, m]))
  const targets = new Map(spec.target.members.map((m) => [m.name, m]))
  const observedURLs = new Set(plan.observation.members.flatMap((m) => m.peerURLs))
  for (const m of plan.members) {
    const specified = m.action === 'remove' ? inSpec.get(m.name) : targets.get(m.name)
    if (m.action === 'remove') {
      // Leaving members are named from the spec when it lists them, and their peer URL is the observed one.
      if (!observedURLs.has(m.peerURL) && (specified === undefined || specified.peerURL !== m.peerURL)) out.push(`${m.name} (${m.peerURL}) is to be removed, but neither the spec nor the observed cluster has that peer URL`)
    } else if (specified === undefined) {
      out.push(`${m.name} is not a target member of the spec`)
    } else if (specified.peerURL !== m.peerURL || specified.clientURL !== m.clientURL) {
      out.push(`${m.name} is ${m.peerURL} (client ${m.clientURL}) in the plan, ${specified.peerURL} (client ${specified.clientURL}) in the spec`)
    }
  }
  const planned = new Map(plan.members.map((m) => [m.name, m]))
  for (const [name] of targets) if (!planned.has(name)) out.push(`the spec's target member ${name} is not in the plan`)
  const target = (step: Step & {member: string}) => {
    const member = targets.get(step.member)
    if (member === undefined) out.push(`step ${step.id} acts on ${step.member}, which is not a target member of the spec`)
    return member
  }
  for (const step of plan.steps) {
    if ('member' in step && !planned.has(step.member)) {
      out.push(`step ${step.id} acts on ${step.member}, which the plan does not list`)
      continue
    }
    switch (step.kind) {
      case 'add-learner':
      case 'add-member':
      case 'remove-member':
      case 'restore-member': {
        const expected = planned.get(step.member)?.peerURL
        if (step.peerURL !== expected) out.push(`step ${step.id} uses peer URL ${step.peerURL}, ${step.member}'s is ${expected}`)
        if (step.kind === 'restore-member') {
          const member = target(step)
          if (member !== undefined && step.dataDir !== member.dataDir) out.push(`step ${step.id} restores into ${step.dataDir}, ${step.member}'s data dir is ${member.dataDir}`)
        }
        break
      }
      case 'write-config':
      case 'rewrite-config': {
        const member = target(step)
        const problem = member === undefined ? null : configMismatch(step.config, member, spec)
        if (problem !== null) out.push(`step ${step.id} ${problem}`)
        break
      }
      case 'start-member':
      case 'restart-member': {
        const member = target(step)
        if (member !== undefined && step.configPath !== member.configFile) out.push(`step ${step.id} starts etcd with ${step.configPath}, ${step.member}'s config file is ${member.configFile}`)
        break
      }
      default:
        break
    }
  }
  return out
}

/** Why a config the plan writes is not the one the spec renders for that member (at the plan's initial-cluster), or null. */
function configMismatch(config: RenderedConfig, member: MemberSpec, spec: Spec): string | null {
  if (config.path !== member.configFile) return `writes ${config.path}, ${member.name}'s config file is ${member.configFile}`
  let written: unknown
  try {
    written = parseYaml(config.content)
  } catch {
    written = null
  }
  const fields = (typeof written === 'object' && written !== null ? written : {}) as Record<string, unknown>
  const initialCluster = fields['initial-cluster']
  const state = fields['initial-cluster-state']
  if (typeof initialCluster !== 'string' || (state !== 'new' && state !== 'existing')) return `writes a config to ${config.path} without initial-cluster and initial-cluster-state`
  const expected = renderEtcdConfig({member, spec, initialCluster, initialClusterState: state})
  return expected.content === config.content ? null : `writes a config to ${config.path} that differs from the one the spec gives ${member.name}`
}

/** Whether `file` holds a plan (a JSON object with a formatVersion): --spec was given the plan. */
async function holdsPlan(file: string): Promise<boolean> {
  try {
    const value = JSON.parse(await readFile(file, 'utf8')) as unknown
    return typeof value === 'object' && value !== null && 'formatVersion' in value && 'steps' in value
  } catch {
    return false
  }
}

async function unreadableReason(file: string): Promise<string> {
  try {
    await readFile(file)
    return 'unreadable'
  } catch (error) {
    return fsErrorReason(error)
  }
}

/**
 * An unfinished apply of this same spec, when there is one: the plan saved beside its journal. Given
 * the spec again after an interruption, apply resumes that plan rather than re-planning, so steps a
 * new plan would not contain (config rewrites, restarts) are not forgotten.
 */
export async function unfinishedPlanFor(specFile: string, journalPathFor: (name: string) => string): Promise<AppliedPlan | null> {
  const loaded = await loadSpecFile(specFile)
  if (loaded.spec === null || loaded.specHash === null) return null
  const journalPath = journalPathFor(loaded.spec.name)
  const journal = await readJournal(journalPath)
  if (journal === null || journal.status === 'complete') return null
  const planFile = savedPlanPath(journalPath)
  let plan: Plan
  try {
    plan = await readPlanFile(planFile)
  } catch {
    return null
  }
  if (plan.contentHash !== journal.planHash || plan.specHash !== loaded.specHash) return null
  // The journal names this saved plan: it must be that plan's, step for step, or resuming would skip steps that never ran.
  checkJournalMatchesPlan(journal, plan, journalPath)
  refuseUnlessPlannerMade(plan, loaded.spec, planFile, specFile)
  // A saved plan the cluster has moved away from is not resumed: a new plan starts from where it is.
  let live
  try {
    live = await observeSpecCluster(loaded.spec)
  } catch (error) {
    if (error instanceof ClusterUnreachableError) throw unreachable(error)
    throw error
  }
  if (checkPlanCurrent(plan, live, positionOf(journal)).length > 0) return null
  return {source: 'plan-file', planFile, plan, spec: loaded.spec, specFile}
}

/** Where apply keeps the plan it made from a spec: beside the journal. */
export function savedPlanPath(journalPath: string): string {
  return join(dirname(journalPath), 'plan.json')
}

export async function planFromSpec(specFile: string): Promise<AppliedPlan> {
  let result
  try {
    result = await planSpecFile(specFile, observeSpecCluster)
  } catch (error) {
    if (error instanceof ClusterUnreachableError) throw unreachable(error)
    throw error
  }
  if (result.plan === null || result.spec === null) throw new SpecProblemsError(specFile, result.diagnostics, result.sources)
  return {source: 'spec', plan: result.plan, spec: result.spec, specFile, diagnostics: result.diagnostics}
}

export function unreachable(error: ClusterUnreachableError): UserError {
  return new UserError(`cannot reach the cluster: ${error.message}`, 'check that the members in the spec run and that their clientURLs are right (`etcdplan status`), or plan with --offline', 1, 'cluster-unreachable', {endpoints: error.endpoints.map((endpoint, i) => ({endpoint, error: error.errors[i] ?? null}))})
}
