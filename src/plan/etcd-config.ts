// Renders a member's etcd --config-file: YAML whose keys are etcd's flag names (etcd-facts.md,
// "Starting a joining member"). The plan carries every config in full so reviewers see exactly what
// will be written, and the applier writes these bytes unchanged.
import {stringify} from 'yaml'
import type {FinalState, MemberSpec, MemberTls, Spec} from '../spec/types.js'
import type {RenderedConfig} from './types.js'

export interface ConfigInput {
  readonly member: MemberSpec
  readonly spec: Spec
  /** name=peerURL,... of exactly the members that exist when this config takes effect. */
  readonly initialCluster: string
  readonly initialClusterState: FinalState
}

export function renderEtcdConfig({member, spec, initialCluster, initialClusterState}: ConfigInput): RenderedConfig {
  const values: Record<string, unknown> = {
    name: member.name,
    'data-dir': member.dataDir,
    'listen-peer-urls': member.peerURL,
    'listen-client-urls': member.clientURL,
    'initial-advertise-peer-urls': member.peerURL,
    'advertise-client-urls': member.clientURL,
    'initial-cluster': initialCluster,
    // A joining member must start with `existing`; `new` would make it bootstrap a cluster of its own.
    'initial-cluster-state': initialClusterState,
  }
  if (spec.cluster.token !== undefined) values['initial-cluster-token'] = spec.cluster.token
  // The member's own certificates, paths on its host (docs/spec.md "TLS per member"): etcd refuses an
  // https URL without them at start, which is after `member add` (src/spec/member-tls-rules.ts).
  if (member.tls !== undefined) values['client-transport-security'] = transportSecurity(member.tls)
  if (member.peerTLS !== undefined) values['peer-transport-security'] = transportSecurity(member.peerTLS)
  // etcd 3.4 defaults to the deprecated capnslog logger and warns about it at every start.
  values['logger'] = 'zap'
  // Extras are passed through verbatim; validation has already refused keys etcdplan writes itself.
  for (const key of Object.keys(member.config).sort()) values[key] = member.config[key]
  const header = `# etcd config for ${member.name}, written by etcdplan (migration "${spec.name}")\n`
  return {path: member.configFile, content: header + stringify(values, {lineWidth: 0})}
}

/** etcd's securityConfig keys (embed/config.go), the same for client- and peer-transport-security. */
function transportSecurity(tls: MemberTls): Record<string, unknown> {
  const section: Record<string, unknown> = {}
  if (tls.cert !== undefined) section['cert-file'] = tls.cert
  if (tls.key !== undefined) section['key-file'] = tls.key
  if (tls.ca !== undefined) section['trusted-ca-file'] = tls.ca
  if (tls.clientCertAuth) section['client-cert-auth'] = true
  return section
}
