// copy-certificates: with cluster.distribute, the runbook's first line ("if the cluster uses
// certificates, sync the new certificates first") as a plan step — each new member's CA, certificate
// and key (server and peer) copied from distribute.from on the apply machine to their paths on its
// host, before its config is written and before it is added (etcd reads them at start, which comes
// after `member add`). The step holds paths only: no key material, and no checksum either — the
// plan stays a function of the spec and the cluster (deterministic, the same bytes on any machine),
// and a certificate reissued after a refused preflight does not make the reviewed plan stale. What is
// copied is what was checked: the preflight's certificates-valid reads these very sources, and the
// copy is verified by sha256 on the host (putFile).
import type {MemberSpec, Spec} from '../spec/types.js'
import {memberTlsFiles} from '../spec/member-tls.js'
import {distributeSource} from '../tls/distribute-source.js'
import type {CopyCertificatesStep} from './types.js'

type Unbuilt = Omit<CopyCertificatesStep, 'dependsOn' | 'before' | 'after'>

/** The member's copy step, or null when distribute is off or its spec names no certificate file. */
export function copyCertificatesStep(spec: Spec, member: MemberSpec): Unbuilt | null {
  const from = spec.cluster.distribute?.from
  if (from === undefined) return null
  const files = certificateCopies(from, member)
  if (files.length === 0) return null
  return {
    kind: 'copy-certificates',
    id: `copy-certificates/${member.name}`,
    member: member.name,
    files,
    description: `Copy ${member.name}'s certificate files from ${from} to its host (mode 0600, checked by sha256 there) before its config is written and it is added: ${files.map((f) => `${f.from} → ${f.to}`).join(', ')}.`,
    preconditions: [],
  }
}

/** Each file the member's TLS names, from `<from>/<base name>` to its host path. */
export function certificateCopies(from: string, member: MemberSpec): {from: string; to: string}[] {
  return memberTlsFiles(member).map((to) => ({from: distributeSource(from, to), to}))
}
