// One etcd3 client per endpoint, made safe for membership changes (docs/etcd-facts.md,
// "The etcd3 npm client"): the library's fault handling is switched off (its retries would repeat a
// memberAdd, its circuit breaker hides a member for 5 s) and every unary call gets a deadline
// (by default none has one, so a membership change without quorum would hang forever). etcdplan
// decides retries itself, after observing the cluster again.
import {noop} from 'cockatiel'
import {Etcd3, type IOptions} from 'etcd3'
import type {TlsFiles} from '../spec/types.js'
import {readTlsFiles} from './read-tls-files.js'
import {silenceIpServerNameWarning} from './silence-ip-servername-warning.js'

export interface EndpointOptions {
  /** Deadline of every unary call, in milliseconds. */
  readonly callTimeoutMs: number
  readonly tls?: TlsFiles
}

export function connectEndpoint(clientURL: string, options: EndpointOptions): Etcd3 {
  silenceIpServerNameWarning()
  const etcdOptions: IOptions = {
    hosts: [clientURL],
    faultHandling: {host: () => noop, global: noop},
    defaultCallOptions: (context) => (context.isStream ? {} : {deadline: Date.now() + options.callTimeoutMs}),
    ...(options.tls === undefined ? {} : {credentials: credentialsOf(options.tls)}),
  }
  return new Etcd3(etcdOptions)
}

/** etcd3's credentials from PEM files on this machine. */
export function credentialsOf(tls: TlsFiles): NonNullable<IOptions['credentials']> {
  const {ca: rootCertificate, key: privateKey, cert: certChain} = readTlsFiles(tls)
  if (rootCertificate === undefined) throw new Error('cluster.tls needs a ca file')
  return {rootCertificate, ...(privateKey === undefined ? {} : {privateKey}), ...(certChain === undefined ? {} : {certChain})}
}
