// The node provider of the spec a plan was made from, when that spec can still be read where the
// plan records it and hashes the same. `show --graph` uses it: with nodes.provider manual every step
// on a member's host is the operator's to do (mayNeedOperatorWith), which the plan file alone does
// not say. Best effort, never a refusal: without the spec the graph marks what the plan knows.
import {loadSpecFile} from '../spec/load-spec.js'
import type {NodeProviderName} from '../spec/types.js'
import type {Plan} from './types.js'

export async function specNodeProvider(plan: Plan): Promise<NodeProviderName | undefined> {
  try {
    const loaded = await loadSpecFile(plan.specFile)
    return loaded.spec !== null && loaded.specHash === plan.specHash ? loaded.spec.nodes.provider : undefined
  } catch {
    return undefined
  }
}
