// The planner's simulated membership: the members the cluster has at each point of the plan, so that
// every step can carry the fault tolerance before and after it and every config lists exactly the
// members that exist at that step (the runbook's rule for initial-cluster).
import {faultToleranceOf} from './quorum.js'
import type {FaultTolerance} from './types.js'

export interface ModelMember {
  readonly name: string
  readonly peerURL: string
  readonly isLearner: boolean
  readonly started: boolean
}

export class MembershipModel {
  private members: ModelMember[]

  constructor(members: readonly ModelMember[]) {
    this.members = [...members]
  }

  list(): readonly ModelMember[] {
    return this.members
  }

  voters(): readonly ModelMember[] {
    return this.members.filter((m) => !m.isLearner)
  }

  learners(): readonly ModelMember[] {
    return this.members.filter((m) => m.isLearner)
  }

  tolerance(): FaultTolerance {
    const voters = this.voters()
    return faultToleranceOf(voters.length, voters.filter((m) => m.started).length, this.learners().length)
  }

  add(member: ModelMember): void {
    this.members.push(member)
  }

  remove(name: string): void {
    this.members = this.members.filter((m) => m.name !== name)
  }

  update(name: string, change: Partial<Omit<ModelMember, 'name'>>): void {
    this.members = this.members.map((m) => (m.name === name ? {...m, ...change} : m))
  }

  /** etcd's initial-cluster value: name=peerURL for every member that exists now. */
  initialCluster(): string {
    return this.members.map((m) => `${m.name}=${m.peerURL}`).join(',')
  }
}
