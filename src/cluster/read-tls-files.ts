// etcdplan's own TLS identity (cluster.tls) as the PEM bytes a TLS client needs, read from the apply
// machine when a connection is made: the files are never copied into plans or journals.
import {readFileSync} from 'node:fs'
import type {TlsFiles} from '../spec/types.js'

export interface TlsBytes {
  readonly ca?: Buffer
  readonly cert?: Buffer
  readonly key?: Buffer
}

export function readTlsFiles(tls: TlsFiles): TlsBytes {
  const read = (path: string | undefined) => (path === undefined ? undefined : readFileSync(path))
  const ca = read(tls.ca)
  const cert = read(tls.cert)
  const key = read(tls.key)
  return {...(ca === undefined ? {} : {ca}), ...(cert === undefined ? {} : {cert}), ...(key === undefined ? {} : {key})}
}
