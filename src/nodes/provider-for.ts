// The node provider a spec names. Only `local` ships in this version; the others are in the spec's
// contract and get a clear refusal until they exist.
import type {Spec} from '../spec/types.js'
import {UserError} from '../user-error.js'
import {LocalNodeProvider} from './local-provider.js'
import type {NodeProvider} from './node-provider.js'
import {ExecNodeProvider} from './exec-provider.js'
import {ManualNodeProvider} from './manual-provider.js'

export function providerFor(spec: Spec): NodeProvider {
  if (spec.nodes.provider === 'local') return new LocalNodeProvider(spec.nodes.local)
  if (spec.nodes.provider === 'exec' && spec.nodes.exec !== undefined) return new ExecNodeProvider(spec.nodes.exec, {stepTimeoutMs: spec.timeouts.stepMs, localEtcd: spec.nodes.local.etcd})
  if (spec.nodes.provider === 'manual') return new ManualNodeProvider(spec.nodes.local)
  throw new UserError(`nodes.provider "${spec.nodes.provider}" is not available in this version of etcdplan`, 'use nodes.provider: local (members run as processes on this machine)', 1, 'provider-unavailable')
}
