// What the preflight checks on each new member's host, so that a member that could not start is never
// added (etcd checks the binary's version, the ports, the files and the data dir only when it starts,
// after `member add`: the member would be left added and unstarted, holding the single learner slot or
// counting towards quorum without voting). One precondition per check, each naming the member; the
// descriptions list exactly what is checked, from the config the plan writes for it.
import {listWords} from '../spec/describe-value.js'
import type {MemberSpec, Spec} from '../spec/types.js'
import {filesNamedByConfig} from './config-named-files.js'
import {listenAddress, listenURLsOfConfig} from './config-listen-urls.js'
import {renderEtcdConfig} from './etcd-config.js'
import {precondition} from './step-builder.js'
import type {Precondition} from './types.js'

export type Joining = 'join' | 'new-cluster'

export function hostReadinessPreconditions(spec: Spec, member: MemberSpec, joining: Joining): Precondition[] {
  // Files and listen URLs do not depend on initial-cluster: the config the plan writes names the same.
  const config = renderEtcdConfig({member, spec, initialCluster: '', initialClusterState: 'existing'})
  const ports = listenURLsOfConfig(config.content).map(listenAddress)
  const files = filesNamedByConfig(config.content)
  const name = member.name
  return [
    precondition(
      'etcd-version-compatible',
      joining === 'join'
        ? `${name}'s host has an etcd binary whose version can join the cluster (not older than the cluster version)`
        : `${name}'s host has an etcd binary that reports its version`,
      name,
    ),
    precondition('ports-free', `${ports.length === 1 ? 'port' : 'ports'} ${listWords(ports, 'and')} ${ports.length === 1 ? 'is' : 'are'} free on ${name}'s host`, name),
    ...(files.length > 0 ? [precondition('config-files-readable', `every file ${name}'s config names is readable on its host: ${files.join(', ')}`, name)] : []),
    precondition(
      'data-dir-empty',
      joining === 'join' ? `${name}'s data dir ${member.dataDir} is absent or empty` : `${name}'s data dir ${member.dataDir} is absent or empty (or a restore etcdplan completed)`,
      name,
    ),
  ]
}
