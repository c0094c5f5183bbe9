// Every certificate check of one member, from the TLS it has in the spec (MemberSpec.tls, .peerTLS:
// the effective paths on its host): its server certificate against its clientURL, its peer
// certificate against its peerURL. The files come from `read` (the member's host through the node
// provider, or the apply machine's distribute.from): one place decides where they are read.
import type {MemberSpec, MemberTls} from '../spec/types.js'
import {checkMemberCertificate, type CertificateFinding, type CertificateListener, type PemFile} from './check-member-certificate.js'

/** The listeners of a member that have a certificate in the spec, with what each must cover. */
export function certificateListeners(member: MemberSpec): {listener: CertificateListener; tls: MemberTls; urls: string[]}[] {
  return [
    ...(member.tls?.cert === undefined ? [] : [{listener: 'server' as const, tls: member.tls, urls: [member.clientURL]}]),
    ...(member.peerTLS?.cert === undefined ? [] : [{listener: 'peer' as const, tls: member.peerTLS, urls: [member.peerURL]}]),
  ]
}

/** `read(path)` gives the file at the member's host path as etcd would see it (its `path` is what findings name). */
export function checkMemberCertificates(member: MemberSpec, read: (path: string) => PemFile, now: Date, unreadableFix?: string): CertificateFinding[] {
  return certificateListeners(member).flatMap(({listener, tls, urls}) =>
    checkMemberCertificate({
      member: member.name,
      listener,
      urls,
      ...(tls.ca === undefined ? {} : {ca: read(tls.ca)}),
      ...(tls.cert === undefined ? {} : {cert: read(tls.cert)}),
      ...(tls.key === undefined ? {} : {key: read(tls.key)}),
      clientCertAuth: tls.clientCertAuth,
      now,
      ...(unreadableFix === undefined ? {} : {unreadableFix}),
    }),
  )
}
