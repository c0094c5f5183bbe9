// copy-certificates (cluster.distribute): each of the member's certificate files is put on its host
// through the provider's putFile — written beside its path, its sha256 checked against the apply
// machine's file, renamed into place, mode 0600 (a key must not be readable by others; etcd reads
// them as the user the provider writes as). Idempotent by putFile: a file already there with the same
// sha256 is not written again, so a rerun copies nothing and says so. With nodes.provider manual the
// copy is the operator's: the step stops with the commands (scp, install -m 0600, sha256sum -c) and
// `--confirm copy-certificates/NAME` continues. exec cannot copy files: validation refuses distribute
// with it (spec rules), so it never gets here.
import {checksumFile} from '../../nodes/checksum-file.js'
import {OperatorActionNeeded} from '../../nodes/operator-action.js'
import {copyFilesInstructions} from '../../nodes/manual-provider.js'
import type {CopyCertificatesStep} from '../../plan/types.js'
import type {MemberSpec} from '../../spec/types.js'
import {StepFailedError} from '../apply-errors.js'
import {confirmedByOperator, onHost, requireMemberSpec, type StepContext} from '../step-context.js'

/** Certificates and keys alike: the key must be the etcd user's alone, and nothing else needs to read the rest. */
export const CERTIFICATE_FILE_MODE = 0o600

export async function runCopyCertificates(ctx: StepContext, step: CopyCertificatesStep): Promise<string> {
  const member = requireMemberSpec(ctx, step.member)
  if (ctx.spec.nodes.provider === 'manual') {
    if (confirmedByOperator(ctx)) return `the operator copied ${step.files.map((f) => f.to).join(', ')} (confirmed)`
    throw new OperatorActionNeeded('copy-certificates', member.name, await copyInstructions(ctx, member, step))
  }
  const copied: string[] = []
  const present: string[] = []
  for (const file of step.files) {
    const result = await onHost(ctx, () => ctx.provider.putFile(member, {localPath: file.from, remotePath: file.to, mode: CERTIFICATE_FILE_MODE}))
    ;(result.copied ? copied : present).push(file.to)
  }
  const parts = [
    ...(copied.length === 0 ? [] : [`copied ${copied.join(', ')} (sha256 checked on ${member.name}'s host)`]),
    ...(present.length === 0 ? [] : [`${present.join(', ')} already there with the same sha256`]),
  ]
  return parts.join('; ')
}

/** What the operator runs (manual-provider.ts, copyFilesInstructions), with each file's sha256 from the apply machine. */
async function copyInstructions(ctx: StepContext, member: MemberSpec, step: CopyCertificatesStep): Promise<string> {
  const files = []
  for (const file of step.files) {
    const sum = await checksumFile(file.from).catch(() => null)
    if (sum === null) throw new StepFailedError(ctx.step.id, `${file.from} (to copy to ${member.name}'s host as ${file.to}) cannot be read on the apply machine`, `put it in ${ctx.spec.cluster.distribute?.from ?? 'distribute.from'}, then apply again`)
    files.push({...file, sha256: sum.sha256})
  }
  return `${copyFilesInstructions(member, files, CERTIFICATE_FILE_MODE)}\nThen run the same apply again with --confirm ${step.id}.`
}
