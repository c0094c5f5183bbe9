// How long one step is expected to take, and what that figure is made of. The 5-s health window is
// added by the plan estimator (it depends on what ran before), not here.
import {humanizeBytes} from '../render/render-status.js'
import {assertNever, type Step} from '../plan/types.js'
import {DEFAULT_DURATIONS_MS as D} from './estimate-defaults.js'
import type {EstimateInputs} from './estimate-inputs.js'
import {aboutDuration} from './format-estimate.js'

export interface StepDuration {
  readonly durationMs: number | null
  readonly basis: string
}

const HOST_ACTIONS: ReadonlySet<Step['kind']> = new Set(['copy-certificates', 'write-config', 'start-member', 'stop-member', 'rewrite-config', 'restart-member', 'restore-member', 'fence-member'])

export function stepDuration(step: Step, inputs: EstimateInputs): StepDuration {
  if (inputs.manualHosts && HOST_ACTIONS.has(step.kind)) return {durationMs: null, basis: 'the operator\'s action (provider manual): unknown'}
  const fixed = (ms: number, what: string): StepDuration => ({durationMs: ms, basis: `${what} about ${aboutDuration(ms)}`})
  switch (step.kind) {
    case 'preflight':
      return fixed(D.preflight, 'status of every member and host checks')
    case 'copy-certificates':
    case 'write-config':
    case 'rewrite-config':
      return fixed(D.fileWrite, 'a file write')
    case 'add-learner':
    case 'add-member':
    case 'promote':
    case 'remove-member':
      return fixed(D.membershipCall, 'a membership call')
    case 'start-member':
      return inputs.strategy === 'snapshot' ? fixed(D.startRestored, 'a restored member\'s start') : fixed(D.start, 'etcd start until it publishes its name')
    case 'wait-caught-up':
      return transfer(inputs, D.catchUpConfirm, 'catch-up')
    case 'switch-dns':
      return dnsSwitch(inputs)
    case 'move-leader':
      return fixed(D.moveLeader, 'a leadership transfer')
    case 'stop-member':
      return fixed(D.stop, 'a graceful stop')
    case 'restart-member':
      return inputs.stopDrainsPeers ? fixed(D.restartPeerDrain, 'restart until healthy (etcd 3.5\'s graceful stop waits ~1 s for its peer listener)') : fixed(D.restart, 'restart until healthy')
    case 'verify':
      return step.clusterVersion === undefined || step.clusterVersion === inputs.clusterVersion ? fixed(D.verify, 'final checks') : fixed(D.verify + D.clusterVersionRaise, `final checks and the cluster version rising to ${step.clusterVersion}`)
    case 'snapshot-save':
      return transfer(inputs, D.membershipCall, 'snapshot')
    case 'snapshot-verify':
      return fixed(D.membershipCall, 'integrity check')
    case 'restore-member':
      return transfer(inputs, D.restoreFixed, 'restore')
    case 'verify-data':
      return fixed(D.verifyData, 'key count and revision of both clusters')
    case 'fence-member':
      return fixed(D.fence, 'its config and data dir moved aside')
    default:
      return assertNever(step)
  }
}

/** Moving the DB (catch-up, snapshot, restore) at the transfer rate, plus a fixed cost. */
function transfer(inputs: EstimateInputs, fixedMs: number, what: string): StepDuration {
  const rate = `${humanizeBytes(inputs.transferRate)}/s${inputs.transferRateSource === 'default' ? ' (measured default)' : ' (estimates.transferRate)'}`
  if (inputs.dbSize === null) return {durationMs: fixedMs, basis: `${what}: DB size not observed (offline plan), counted as empty; at ${rate} add ${aboutDuration(1e12 / inputs.transferRate)} per GB`}
  const ms = Math.round((inputs.dbSize / inputs.transferRate) * 1000) + fixedMs
  return {durationMs: ms, basis: `${what} of ${humanizeBytes(inputs.dbSize)} at ${rate}`}
}

function dnsSwitch(inputs: EstimateInputs): StepDuration {
  const dns = inputs.dns
  if (dns === null) return {durationMs: 0, basis: 'no dns in the spec: nothing to switch'}
  if (dns.via === 'manual') return {durationMs: null, basis: 'the operator changes DNS (via manual): unknown, plus your records\' TTL'}
  if (dns.ttlSeconds !== null) return {durationMs: D.dnsUpdate + dns.ttlSeconds * 1000, basis: `update, then the old records' TTL of ${dns.ttlSeconds} s waited out`}
  return {durationMs: D.dnsUpdate, basis: `update by ${dns.via} about ${aboutDuration(D.dnsUpdate)} (the TTL of your records is not known to etcdplan and not waited for)`}
}
