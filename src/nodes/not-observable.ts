// What a node provider answers when it has no way to see (or reach) something on a member's host:
// the exec provider runs only the commands the user configured (nodes.exec), the manual provider
// runs nothing at all. Such a provider never pretends: a read it cannot make is this error, never a
// made-up answer (an empty data dir, a free port, an absent config file). Callers that can go on
// without the answer (the host gates, the write-config step, the planner's read of joined configs)
// catch it and say what was not checked and what stands in for it (src/apply/gates/not-observed.ts);
// anywhere else it stops the step like any unexpected error, which is the safe default.
export class NotObservableError extends Error {
  constructor(
    /** The member whose host it concerns. */
    readonly member: string,
    /** What could not be seen, e.g. "the data dir /var/lib/etcd/etcd4". */
    readonly what: string,
    /** The provider (nodes.provider) that cannot see it. */
    readonly provider: string,
    /** Why, in a few words (e.g. "nodes.exec has no readConfig command"). */
    readonly why: string,
  ) {
    super(`etcdplan cannot observe ${what} on ${member}'s host with nodes.provider ${provider}: ${why}`)
  }
}
