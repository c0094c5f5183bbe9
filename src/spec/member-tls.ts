// A member's effective certificate for one listener: the cluster's section (memberTLS or peerTLS)
// with the member's own section (tls or peerTLS) laid over it field by field, so a member can change
// only its cert and key and keep the cluster's CA. `{name}` in any path becomes the member's name.
// client-cert-auth follows the CA: a CA is given to check clients (peers) against, which etcd does only
// with client-cert-auth on; `clientCertAuth: false` keeps the CA without it.
import {fillTemplate} from './name-template.js'
import type {MemberTls, MemberTlsTemplate} from './types.js'

export function effectiveMemberTls(cluster: MemberTlsTemplate | undefined, own: MemberTlsTemplate | undefined, name: string): MemberTls | undefined {
  if (cluster === undefined && own === undefined) return undefined
  const merged: MemberTlsTemplate = {...cluster, ...own}
  return {
    ...(merged.ca === undefined ? {} : {ca: fillTemplate(merged.ca, name)}),
    ...(merged.cert === undefined ? {} : {cert: fillTemplate(merged.cert, name)}),
    ...(merged.key === undefined ? {} : {key: fillTemplate(merged.key, name)}),
    clientCertAuth: merged.clientCertAuth ?? merged.ca !== undefined,
  }
}

/** The files a member's certificates name, each once: what etcd reads on its host at start. */
export function memberTlsFiles(member: {readonly tls?: MemberTls; readonly peerTLS?: MemberTls}): string[] {
  const files = [member.tls, member.peerTLS].flatMap((t) => (t === undefined ? [] : [t.ca, t.cert, t.key]))
  return [...new Set(files.filter((f): f is string => f !== undefined))]
}
