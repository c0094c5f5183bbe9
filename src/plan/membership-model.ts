// The planner's simulated membership: the members the cluster has at each point of the plan, so that
// every step can carry the fault tolerance before and after it and every config lists exactly the
// members that exist at that step (the runbook's rule for initial-cluster). Steps move it through the
// step table's membership effects (step-kinds.ts), the same ones the safety checker and the applier's
// stale check replay.
import {faultToleranceOf} from './quorum.js'
import {membershipAfter, type Membership} from './step-kinds.js'
import type {FaultTolerance, Step} from './types.js'

export class MembershipModel {
  private members: Membership

  constructor(members: Membership) {
    this.members = [...members]
  }

  list(): Membership {
    return this.members
  }

  voters(): Membership {
    return this.members.filter((m) => !m.isLearner)
  }

  learners(): Membership {
    return this.members.filter((m) => m.isLearner)
  }

  tolerance(): FaultTolerance {
    const voters = this.voters()
    const started = voters.filter((m) => m.started)
    return faultToleranceOf(voters.length, started.length, this.learners().length, started.filter((m) => m.down === true).length)
  }

  /** Moves the model past a step, by the step table's effect. */
  apply(step: Step): void {
    this.members = membershipAfter(this.members, step)
  }

  /** The cluster serving clients becomes another one (strategy snapshot's cut-over). */
  replaceWith(members: Membership): void {
    this.members = [...members]
  }

  /** etcd's initial-cluster value: name=peerURL for every member that exists now. */
  initialCluster(): string {
    return this.members.map((m) => `${m.name}=${m.peerURL}`).join(',')
  }
}
