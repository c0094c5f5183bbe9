// etcd's refusals in the operator's terms: what the error means and what to do about it
// (etcd-facts.md, "Membership gates").

export interface Explanation {
  readonly meaning: string
  readonly action: string
}

const EXPLANATIONS: readonly (readonly [string, Explanation])[] = [
  ['too many learner members in cluster', {meaning: 'etcd allows one learner at a time and the cluster already has one.', action: 'Promote or remove the existing learner (`etcdplan plan` plans this), then apply again.'}],
  ['Peer URLs already exists', {meaning: 'a member with this peer URL already exists.', action: 'Run `etcdplan plan` to plan from the cluster as it is now.'}],
  ['member not found', {meaning: 'the member is no longer in the cluster.', action: 'Run `etcdplan plan` to plan from the cluster as it is now.'}],
  ['can only promote a learner member', {meaning: 'the member is not a learner (already promoted, or never added as one).', action: 'Run `etcdplan plan` to plan from the cluster as it is now.'}],
  ['bad leader transferee', {meaning: 'leadership can only move to a started voter.', action: 'Check that the candidate members are started voters (`etcdplan status`).'}],
  ['rpc not supported for learner', {meaning: 'the request reached a learner, which serves only Status and serializable reads.', action: 'This is a bug in etcdplan\'s choice of endpoint; report it.'}],
  ['permanently removed', {meaning: 'a removed member\'s data dir was reused; etcd refuses it under its old identity.', action: 'Wipe or move that member\'s data dir before it joins again.'}],
]

export function explainEtcdError(message: string): Explanation {
  for (const [text, explanation] of EXPLANATIONS) if (message.includes(text)) return explanation
  return {meaning: '', action: 'Check the cluster with `etcdplan status`, fix the cause, then run the same apply again: it resumes at this step.'}
}
