// What a first start of etcd that failed leaves in a data dir, told from anyone's data. etcd 3.4/3.5
// opens its backend (`member/snap/db`) before it asks its peers for the cluster and checks its
// initial-cluster against it, and writes its WAL only once those pass (etcdserver/server.go NewServer,
// 3.5 bootstrap.go): a start refused there (`member count is unequal`, a peer's certificate, no peer
// reachable) leaves member/snap/db and directories, and no WAL. Such a member never joined, so the
// data dir holds nothing of it (etcd-facts.md, "Why a member does not start"). A start that failed
// earlier (a port in use, a flag) leaves no data dir at all.
import type {DataDirContents} from '../../nodes/node-provider.js'

/** The only files a failed first start writes, relative to the data dir. */
const DEBRIS_FILES: ReadonlySet<string> = new Set(['member/snap/db'])

/** Whether the data dir holds only what a failed first start writes: no WAL file anywhere, no file but member/snap/db. */
export function isFailedStartDebris(dir: DataDirContents): boolean {
  return dir.exists && dir.isDirectory && dir.wal === null && dir.walDirEntries.length === 0 && dir.files.every((file) => DEBRIS_FILES.has(file))
}
