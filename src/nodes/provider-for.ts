// The node provider a spec names: local, ssh, exec and manual ship in this version; a spec whose
// provider lacks its settings (the normaliser fills them whenever the provider is chosen) gets a
// clear refusal rather than a crash.
import type {Spec} from '../spec/types.js'
import {UserError} from '../user-error.js'
import {LocalNodeProvider} from './local-provider.js'
import type {NodeProvider} from './node-provider.js'
import {ExecNodeProvider} from './exec-provider.js'
import {ManualNodeProvider} from './manual-provider.js'
import {SshNodeProvider} from './ssh-provider.js'

export function providerFor(spec: Spec): NodeProvider {
  if (spec.nodes.provider === 'local') return new LocalNodeProvider(spec.nodes.local)
  if (spec.nodes.provider === 'ssh' && spec.nodes.ssh !== undefined) return new SshNodeProvider(spec.nodes.ssh)
  if (spec.nodes.provider === 'exec' && spec.nodes.exec !== undefined) return new ExecNodeProvider(spec.nodes.exec, {stepTimeoutMs: spec.timeouts.stepMs, localEtcd: spec.nodes.local.etcd})
  if (spec.nodes.provider === 'manual') return new ManualNodeProvider(spec.nodes.local)
  throw new UserError(`nodes.provider "${spec.nodes.provider}" is not available in this version of etcdplan, or its settings (nodes.${spec.nodes.provider}) are missing`, 'use nodes.provider: local (members run as processes on this machine), or add the provider\'s section (docs/spec.md, "Node providers on real hosts")', 1, 'provider-unavailable')
}
