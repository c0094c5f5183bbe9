// Whether a process still runs, as far as this host can tell: the pid exists (kill 0; EPERM means it
// does, as another user's process) and is not a zombie (exited, not yet reaped by its parent). Used
// for the local provider's etcd pids and the state lock's holder.
import {readFileSync} from 'node:fs'

export function isProcessRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false
  }
  // /proc/<pid>/stat is "pid (comm) S ...": the state letter follows the last ')'.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.charAt(stat.lastIndexOf(')') + 2) !== 'Z'
  } catch {
    return true // no /proc (not Linux): kill(pid, 0) is all there is
  }
}
