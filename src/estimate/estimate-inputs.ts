// What an estimate is computed from, gathered from the spec and the plan's observation, so that the
// estimator itself is a pure function of a few numbers (and a plan re-derived from its record gets
// the same estimates).
import type {Observation} from '../cluster/observation.js'
import type {Spec} from '../spec/types.js'
import {DEFAULT_TRANSFER_RATE} from './estimate-defaults.js'
import {healthWindowRule, type HealthWindowRule} from './health-window-rule.js'
import {parseTransferRate} from './transfer-rate.js'

export interface EstimateInputs {
  /** The leader's DB size in bytes when the plan was made (live); null offline. */
  readonly dbSize: number | null
  readonly transferRate: number
  /** Where the rate comes from: "estimates.transferRate" or the measured default. */
  readonly transferRateSource: 'spec' | 'default'
  readonly healthWindow: HealthWindowRule
  /** etcd 3.5+: a graceful stop waits ~1 s for its peer listener while the other members still run (estimate-defaults.ts restartPeerDrain). */
  readonly stopDrainsPeers: boolean
  /** How clients are moved: the TTL they may keep the old answer for (rfc2136), or null when etcdplan does not know it. */
  readonly dns: {readonly via: string; readonly ttlSeconds: number | null} | null
  /** The manual provider: every host action is the operator's. */
  readonly manualHosts: boolean
  /** snapshot: members start from a restored data dir in a new cluster (nothing to catch up). */
  readonly strategy: Spec['strategy']
  /** The cluster version (major.minor) when planned live: verify waits only when the target raises it. */
  readonly clusterVersion: string | null
}

export function estimateInputsOf(spec: Spec, observation: Observation): EstimateInputs {
  const fromSpec = spec.estimates?.transferRate === undefined ? null : parseTransferRate(spec.estimates.transferRate)
  const dns = spec.dns === undefined ? null : {via: spec.dns.switch.via, ttlSeconds: spec.dns.switch.rfc2136?.ttl ?? null}
  return {
    dbSize: observation.leaderDbSize ?? null,
    transferRate: fromSpec ?? DEFAULT_TRANSFER_RATE,
    transferRateSource: fromSpec === null ? 'default' : 'spec',
    healthWindow: healthWindowRule(lowestVersion(observation)),
    stopDrainsPeers: atLeast35(lowestVersion(observation)),
    dns,
    manualHosts: spec.nodes.provider === 'manual',
    strategy: spec.strategy,
    clusterVersion: /^\d+\.\d+/.exec(observation.versions?.cluster ?? '')?.[0] ?? null,
  }
}

/** The version that decides etcd's rules: the cluster version, else the lowest member version seen. */
function lowestVersion(observation: Observation): string | null {
  const v = observation.versions
  if (v === undefined) return null
  const members = v.members.map((m) => m.version).filter((x): x is string => x !== null)
  const sorted = members.sort((a, b) => a.localeCompare(b, 'en', {numeric: true}))
  return sorted[0] ?? v.cluster
}

/** Whether a version is 3.5 or later; an unknown one is taken as 3.4 (the estimates' measured base). */
function atLeast35(version: string | null): boolean {
  const match = /^(\d+)\.(\d+)/.exec(version ?? '')
  if (match === null) return false
  const [major, minor] = [Number(match[1]), Number(match[2])]
  return major > 3 || (major === 3 && minor >= 5)
}
