// Where a restore is staged: beside the data dir, in `<dataDir>.restoring-<pid>-<8 hex>`, a name of
// its own for every attempt, renamed into place once the tool has finished and the mark is written.
// One fixed name (`<dataDir>.restoring`, what earlier versions used) is not enough: an apply killed
// with SIGKILL during a restore leaves its `snapshot restore` child running (it is reparented, not
// killed), and a resumed apply that emptied and reused the same path would restore beside that
// orphan into the same directory; the orphan's open files would follow the rename into the data
// dir. The pid says which process the attempt belongs to, so that a later attempt can tell a
// leftover (its process is gone) from an attempt still running beside it (restores of the snapshot
// strategy run in parallel, and a retry may overlap an attempt whose connection was lost).
// The ssh provider's host script (share/etcdplan-host.sh, op_restore) names and sorts them the same way.
import {randomBytes} from 'node:crypto'
import {readdir} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'

export const RESTORE_STAGING_SUFFIX = '.restoring'

/** A staging path no other attempt uses: `<dataDir>.restoring-<pid>-<8 random hex>`. */
export function restoreStagingPath(dataDir: string, pid: number = process.pid): string {
  return `${dataDir}${RESTORE_STAGING_SUFFIX}-${pid}-${randomBytes(4).toString('hex')}`
}

/**
 * The pid in a staging dir's name (`<base>.restoring-<pid>-<hex>`); null for any other staging name
 * of this data dir (the plain `<base>.restoring` of earlier versions, or a name not etcdplan's form).
 */
export function stagingOwnerPid(dataDir: string, name: string): number | null {
  const rest = name.slice(basename(dataDir).length + RESTORE_STAGING_SUFFIX.length)
  const match = /^-(\d+)-[0-9a-f]+$/.exec(rest)
  return match === null ? null : Number(match[1])
}

/** Whether a name in the data dir's parent is one of its staging dirs (`<base>.restoring` or `<base>.restoring-*`). */
export function isStagingNameOf(dataDir: string, name: string): boolean {
  const prefix = `${basename(dataDir)}${RESTORE_STAGING_SUFFIX}`
  return name === prefix || name.startsWith(`${prefix}-`)
}

/**
 * The data dir's staging dirs that no running attempt uses: every one whose name carries no pid,
 * or a pid `isLive` says is not a running attempt. Sorted paths; none when the parent does not exist.
 */
export async function leftoverStagingDirs(dataDir: string, isLive: (pid: number, path: string) => boolean): Promise<string[]> {
  let names: string[]
  try {
    names = await readdir(dirname(dataDir))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
  return names
    .filter((name) => isStagingNameOf(dataDir, name))
    .filter((name) => {
      const pid = stagingOwnerPid(dataDir, name)
      return pid === null || !isLive(pid, join(dirname(dataDir), name))
    })
    .sort()
    .map((name) => join(dirname(dataDir), name))
}
