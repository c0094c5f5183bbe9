// The node provider a spec names. `local` and `ssh` ship in this version; the others are in the
// spec's contract and get a clear refusal until they exist.
import type {Spec} from '../spec/types.js'
import {UserError} from '../user-error.js'
import {LocalNodeProvider} from './local-provider.js'
import type {NodeProvider} from './node-provider.js'
import {SshNodeProvider} from './ssh-provider.js'

export function providerFor(spec: Spec): NodeProvider {
  if (spec.nodes.provider === 'local') return new LocalNodeProvider(spec.nodes.local)
  if (spec.nodes.provider === 'ssh') {
    // The normaliser fills nodes.ssh whenever the provider is ssh; a spec built without it is a bug upstream, said plainly.
    if (spec.nodes.ssh === undefined) throw new UserError('nodes.provider is ssh but the spec has no nodes.ssh settings', 'add a nodes.ssh section (spec.md, "Node providers on real hosts")', 1, 'provider-unavailable')
    return new SshNodeProvider(spec.nodes.ssh)
  }
  throw new UserError(`nodes.provider "${spec.nodes.provider}" is not available in this version of etcdplan`, 'use nodes.provider: local (members run as processes on this machine) or ssh', 1, 'provider-unavailable')
}
