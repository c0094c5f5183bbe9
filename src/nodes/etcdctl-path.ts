// etcdctl is found next to the etcd binary the spec names (nodes.local.etcd), or on PATH: the two
// must be the same release (3.4 restores with `etcdctl snapshot restore`; 3.5+ with etcdutl).
import {dirname, join} from 'node:path'

export function etcdctlBeside(etcd: string): string {
  return etcd.includes('/') ? join(dirname(etcd), 'etcdctl') : 'etcdctl'
}
