// One etcd3 client per endpoint, made safe for membership changes (docs/etcd-facts.md,
// "The etcd3 npm client"): the library's fault handling is switched off (its retries would repeat a
// memberAdd, its circuit breaker hides a member for 5 s) and every unary call gets a deadline
// (by default none has one, so a membership change without quorum would hang forever). etcdplan
// decides retries itself, after observing the cluster again.
// The HTTP/2 flow-control window is 1 MiB instead of grpc-js's 64 KiB: a snapshot stream (32-KiB
// messages) otherwise waits for a window update every other message. Measured at 300 MB on loopback:
// 1.9-2.1 s with 64 KiB, 1.1-1.4 s with 1 MiB (etcdctl: 1.4 s), with the same peak memory; larger
// windows were no faster. Backpressure still holds: grpc-js reads no further than the window.
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

const FLOW_CONTROL_WINDOW_BYTES = 1024 * 1024

export function connectEndpoint(clientURL: string, options: EndpointOptions): Etcd3 {
  silenceIpServerNameWarning()
  const etcdOptions: IOptions = {
    hosts: [clientURL],
    faultHandling: {host: () => noop, global: noop},
    defaultCallOptions: (context) => (context.isStream ? {} : {deadline: Date.now() + options.callTimeoutMs}),
    grpcOptions: {'grpc-node.flow_control_window': FLOW_CONTROL_WINDOW_BYTES},
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
