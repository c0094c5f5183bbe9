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
import {memberTlsFiles} from '../spec/member-tls.js'
import {EXPIRY_WARNING_DAYS} from '../tls/check-member-certificate.js'
import {certificateListeners} from '../tls/check-member-certificates.js'
import {distributeSource} from '../tls/distribute-source.js'
import {precondition} from './step-builder.js'
import type {Precondition} from './types.js'

export type Joining = 'join' | 'new-cluster'

export function hostReadinessPreconditions(spec: Spec, member: MemberSpec, joining: Joining): Precondition[] {
  // Files and listen URLs do not depend on initial-cluster: the config the plan writes names the same.
  const config = renderEtcdConfig({member, spec, initialCluster: '', initialClusterState: 'existing'})
  const ports = listenURLsOfConfig(config.content).map(listenAddress)
  // Files cluster.distribute copies are not on the host yet at preflight: certificates-valid checks their sources.
  const files = filesOnHostAtPreflight(spec, member, filesNamedByConfig(config.content))
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
    ...certificatePreconditions(spec, member, spec.cluster.distribute !== undefined),
    precondition(
      'data-dir-empty',
      joining === 'join' ? `${name}'s data dir ${member.dataDir} is absent or empty` : `${name}'s data dir ${member.dataDir} is absent or empty (or a restore etcdplan completed)`,
      name,
    ),
  ]
}

/** The files of the member's config that must be on its host at preflight: all but those cluster.distribute copies there later. */
export function filesOnHostAtPreflight(spec: Spec, member: MemberSpec, files: readonly string[]): string[] {
  if (spec.cluster.distribute === undefined) return [...files]
  const copied = new Set(memberTlsFiles(member))
  return files.filter((f) => !copied.has(f))
}

/**
 * certificates-valid: one precondition naming every certificate file checked and the host each must
 * cover. `copied`: the plan copies the member's files (cluster.distribute, copy-certificates), so the
 * files checked are the sources on the apply machine (the copy comes after the preflight, and is
 * checked by sha256): the description says so. Otherwise they are read on the member's host.
 */
export function certificatePreconditions(spec: Spec, member: MemberSpec, copied: boolean): Precondition[] {
  const listeners = certificateListeners(member)
  if (listeners.length === 0) return []
  const from = copied ? spec.cluster.distribute?.from : undefined
  const shown = (path: string): string => (from === undefined ? path : distributeSource(from, path))
  const parts = listeners.map(({listener, tls, urls}) => {
    const also = [tls.key === undefined ? null : `key ${shown(tls.key)}`, tls.ca === undefined ? null : `CA ${shown(tls.ca)}`].filter((x): x is string => x !== null)
    const hosts = urls.map((u) => new URL(u).hostname.replace(/^\[(.*)\]$/, '$1'))
    return `its ${listener} certificate ${shown(tls.cert!)}${also.length === 0 ? '' : ` (${also.join(', ')})`} covers ${listWords(hosts, 'and')} (its ${listener === 'server' ? 'clientURL' : 'peerURL'})`
  })
  const where = from === undefined ? 'on its host' : `in distribute.from ${from} (copied to its host before it is added)`
  return [
    precondition(
      'certificates-valid',
      `${member.name}'s certificates ${where} parse, are issued by the CA, match their keys and are valid now (under ${EXPIRY_WARNING_DAYS} days left is a warning): ${parts.join('; ')}`,
      member.name,
    ),
  ]
}
