// Raft quorum arithmetic. Learners never vote and never count towards quorum; an added voter that
// has not started counts towards quorum but cannot vote, which is why adding voters directly
// (join.learner: false) briefly lowers fault tolerance (etcd-facts.md, "Membership gates").
import type {FaultTolerance} from './types.js'

export function quorumOf(voters: number): number {
  return Math.floor(voters / 2) + 1
}

/** Failures a cluster of `voters` started voters survives. */
export function toleratedFailures(voters: number): number {
  return voters - quorumOf(voters)
}

/** `down`: started voters known not to answer; they count towards quorum but cannot vote. */
export function faultToleranceOf(voters: number, startedVoters: number, learners: number, down = 0): FaultTolerance {
  const quorum = quorumOf(voters)
  return {voters, startedVoters, learners, down, quorum, tolerates: startedVoters - down - quorum}
}
