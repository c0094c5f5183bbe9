// certificates-valid in the preflight: each target member's server and peer certificates are checked
// (src/tls/check-member-certificate.ts) before the first change, because etcd finds a bad one only
// when the member starts, after `member add`, or when a peer or client first dials it — with the
// member already counted. A kept member is checked as well: etcd reads its files again when etcdplan
// restarts it with the config it rewrites (the spec's paths). Where the files are read:
// - without cluster.distribute, on the member's host, through the node provider (readHostFiles: the
//   same user etcd runs as), exactly what etcd will read; exec and manual cannot read host files, so
//   the check is NOT CHECKED (a step-warning), never a pass;
// - when the plan copies the member's files (cluster.distribute), in `distribute.from` on the apply machine: those are the files the plan
//   copies to the host before the member is added (copy-certificates, checked there by sha256), and
//   the preflight runs before any copy — so the check reads what will be copied.
// Errors refuse the preflight, all of them in one message (member, file, fix); warnings (a certificate
// expiring in under 30 days) are step-warnings and the apply goes on. Key text is held in memory for
// the key comparison only: findings never carry it.
import {readLocalFiles} from '../../nodes/read-local-files.js'
import type {HostFile} from '../../nodes/node-provider.js'
import {NotObservableError} from '../../nodes/not-observable.js'
import {memberTlsFiles} from '../../spec/member-tls.js'
import type {MemberSpec} from '../../spec/types.js'
import {checkMemberCertificates} from '../../tls/check-member-certificates.js'
import {distributeSource} from '../../tls/distribute-source.js'
import {requireMemberSpec} from '../step-context.js'
import {PASS, type Gate, type GateInput} from './gate.js'
import {preflightRefusal} from './host-readiness-gates.js'
import {notObserved} from './not-observed.js'
import {subjectName} from './subject.js'

export const certificatesValid: Gate = async (input) => {
  const name = subjectName(input)
  // Also for a member the cluster lists (kept, or added by an earlier run): reading is harmless, and
  // etcd reads these files at its next start.
  if (name === null) return PASS
  const member = requireMemberSpec(input.ctx, name)
  const paths = memberTlsFiles(member)
  if (paths.length === 0) return PASS
  // The sources on this machine when the plan copies the member's files (they are not on its host yet).
  const copied = input.ctx.plan.steps.some((s) => s.kind === 'copy-certificates' && s.member === name)
  const from = copied ? input.ctx.spec.cluster.distribute?.from : undefined
  let files: Map<string, HostFile>
  try {
    files = from === undefined ? await readOnHost(input, member, paths) : await readSources(from, paths)
  } catch (error) {
    if (!(error instanceof NotObservableError)) throw error
    return notObserved(input, error, `${name}'s certificates (${paths.join(', ')})`, `A certificate that does not cover ${name}'s URLs, does not match its key or is not issued by the CA makes etcd fail at start or at the first connection, after ${name} was added: check them on ${name}'s host now (\`openssl x509 -noout -text -in FILE\`).`)
  }
  const fix = from === undefined ? undefined : `put it in ${from} on this machine (distribute.from: each file by the base name of its path on the host), readable by you, then apply again`
  const findings = checkMemberCertificates(member, (path) => files.get(path) ?? {path, error: 'not read'}, new Date(), fix)
  for (const warning of findings.filter((f) => f.severity === 'warning')) {
    const text = `${warning.problem}: ${warning.fix}`
    if (input.memory.notes.includes(`${text}; `)) continue
    input.memory.notes.push(`${text}; `)
    input.ctx.emit({type: 'step-warning', id: input.step.id, warning: text})
  }
  const errors = findings.filter((f) => f.severity === 'error')
  if (errors.length === 0) return PASS
  const where = from === undefined ? `on ${name}'s host` : `in distribute.from (${from}), which the plan copies to ${name}'s host`
  throw preflightRefusal(
    `${errors.length === 1 ? 'a certificate file' : 'certificate files'} ${where} would not work: ${errors.map((e) => `${e.problem}`).join('; ')}. etcd would fail at start or at the first TLS connection, after ${name} was added.`,
    `${errors.map((e) => e.fix).join('; ')}; then apply again`,
  )
}

async function readOnHost(input: GateInput, member: MemberSpec, paths: readonly string[]): Promise<Map<string, HostFile>> {
  const read = await input.ctx.provider.readHostFiles(member, paths)
  return new Map(read.map((f) => [f.path, f]))
}

/** The files as distribute.from holds them, keyed by their host paths, showing their source paths. */
async function readSources(from: string, paths: readonly string[]): Promise<Map<string, HostFile>> {
  const read = await readLocalFiles(paths.map((p) => distributeSource(from, p)))
  return new Map(paths.map((p, i) => [p, read[i]!]))
}
