// Where cluster.distribute keeps a file on the apply machine: `<from>/<base name of its host path>`
// (docs/spec.md, "TLS per member"): for `cert: /etc/etcd/pki/{name}.pem`, etcd4's is `certs/etcd4.pem`.
import {basename, join} from 'node:path'

export function distributeSource(from: string, hostPath: string): string {
  return join(from, basename(hostPath))
}
