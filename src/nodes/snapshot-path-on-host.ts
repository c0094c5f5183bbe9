// Where a snapshot saved on the apply machine goes on a member's host. The snapshot step names it by
// its path on the apply machine (snapshot.dir, maybe relative to the apply's working directory),
// which is no path on another host: the ssh provider puts it into nodes.ssh.snapshotDir there under
// the same file name, for the check (snapshot-verify, verify-data) and the restore alike, so that
// what is checked on the host is the file that is restored. The local provider's host is the apply
// machine (the same path); exec and manual check the apply machine's copy (snapshot-status-here.ts).
import {basename, posix} from 'node:path'
import type {MemberSpec, Spec} from '../spec/types.js'
import {fillTemplate} from '../spec/name-template.js'

export function snapshotPathOnHost(nodes: Spec['nodes'], member: Pick<MemberSpec, 'name'>, localPath: string): string {
  if (nodes.provider === 'ssh' && nodes.ssh !== undefined) return sshSnapshotPath(nodes.ssh.snapshotDir, member.name, localPath)
  return localPath
}

/** nodes.ssh.snapshotDir (its `{name}` filled) / the snapshot's file name. */
export function sshSnapshotPath(snapshotDir: string, memberName: string, localPath: string): string {
  return posix.join(fillTemplate(snapshotDir, memberName), basename(localPath))
}
