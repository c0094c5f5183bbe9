// The plan against the spec whose hash it carries, field by field, for a message that names what an
// edited plan changed (member URLs, configs, data dirs); rederive-plan.ts then proves the whole plan
// is the planner's.
import {parse as parseYaml} from 'yaml'
import {certificateCopies} from '../plan/copy-certificates-step.js'
import {renderEtcdConfig} from '../plan/etcd-config.js'
import {assertNever, type Plan, type RenderedConfig, type Step} from '../plan/types.js'
import type {MemberSpec, Spec} from '../spec/types.js'

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
      case 'copy-certificates': {
        // The copies are the spec's: distribute.from and the member's certificate paths.
        const member = target(step)
        const from = spec.cluster.distribute?.from
        const expected = member === undefined || from === undefined ? [] : certificateCopies(from, member)
        if (member !== undefined && JSON.stringify(step.files) !== JSON.stringify(expected)) out.push(`step ${step.id} copies ${step.files.map((f) => `${f.from} → ${f.to}`).join(', ')}; the spec's distribute gives ${expected.length === 0 ? 'nothing to copy' : expected.map((f) => `${f.from} → ${f.to}`).join(', ')}`)
        break
      }
      case 'start-member':
      case 'restart-member': {
        const member = target(step)
        if (member !== undefined && step.configPath !== member.configFile) out.push(`step ${step.id} starts etcd with ${step.configPath}, ${step.member}'s config file is ${member.configFile}`)
        break
      }
      case 'fence-member': {
        // The paths it moves aside must be the spec's for that (source) member: a plan must never move another path.
        const member = spec.source.members.find((m) => m.name === step.member)
        if (member === undefined) out.push(`step ${step.id} fences ${step.member}, which is not a source member of the spec`)
        else if (step.configFile !== member.configFile || (step.dataDir !== null && step.dataDir !== member.dataDir)) out.push(`step ${step.id} moves ${[step.configFile, step.dataDir].filter((p) => p !== null).join(', ')} aside, ${step.member}'s config file is ${member.configFile} and its data dir ${member.dataDir}`)
        break
      }
      // Steps that name no URL, config or data dir of the spec: the re-derivation covers them.
      case 'preflight':
      case 'wait-caught-up':
      case 'promote':
      case 'switch-dns':
      case 'move-leader':
      case 'stop-member':
      case 'verify':
      case 'snapshot-save':
      case 'snapshot-verify':
      case 'verify-data':
        break
      default:
        assertNever(step)
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

