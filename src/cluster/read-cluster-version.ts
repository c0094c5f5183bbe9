// The cluster version, as etcd itself decides it: the gRPC Status response has only the member's
// server version (etcd3 1.1.2's StatusResponse: version, dbSize, leader, raftIndex, raftTerm, ...),
// so it is read from the HTTP `/version` endpoint every member serves on its client URLs, e.g.
// `{"etcdserver":"3.5.16","etcdcluster":"3.5.0"}` (3.4 and 3.5 alike; verified on Debian's 3.4.23 and
// 3.5.16). `etcdcluster` is the version the leader has published to the cluster (monitorVersions,
// every 4 s: it rises only once all members run the newer release) — "not_decided" right after a
// cluster starts. With cluster.tls the endpoint needs the same CA and client certificate as gRPC.
import {request as httpRequest} from 'node:http'
import {request as httpsRequest} from 'node:https'
import type {TlsFiles} from '../spec/types.js'
import {readTlsFiles} from './read-tls-files.js'

export interface VersionAnswer {
  /** The answering member's own version, e.g. "3.5.16". */
  readonly server: string
  /** The cluster version, e.g. "3.5.0"; null while etcd has not decided one ("not_decided"). */
  readonly cluster: string | null
}

/** GET <clientURL>/version; rejects with why (connection, status, body) when it cannot be read. */
export function readClusterVersion(clientURL: string, options: {readonly tls?: TlsFiles; readonly timeoutMs: number}): Promise<VersionAnswer> {
  const url = new URL('/version', clientURL)
  const tls = url.protocol === 'https:' && options.tls !== undefined ? readTlsFiles(options.tls) : {}
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest
  return new Promise((resolve, reject) => {
    const req = send(url, {method: 'GET', timeout: options.timeoutMs, ...tls}, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => {
        if (res.statusCode !== 200) return reject(new Error(`${url.href} answered HTTP ${res.statusCode}: ${body.trim().slice(0, 200)}`))
        try {
          resolve(parseVersionBody(body))
        } catch (error) {
          reject(new Error(`${url.href}: ${(error as Error).message}`))
        }
      })
    })
    req.on('timeout', () => req.destroy(new Error(`${url.href} did not answer within ${options.timeoutMs} ms`)))
    req.on('error', reject)
    req.end()
  })
}

/** `{"etcdserver":"3.5.16","etcdcluster":"3.5.0"}` → the two versions; throws when it is not that shape. */
export function parseVersionBody(body: string): VersionAnswer {
  let value: unknown
  try {
    value = JSON.parse(body)
  } catch {
    throw new Error(`not JSON: ${body.trim().slice(0, 200)}`)
  }
  const v = value as {etcdserver?: unknown; etcdcluster?: unknown}
  if (typeof v.etcdserver !== 'string' || typeof v.etcdcluster !== 'string') throw new Error(`no etcdserver/etcdcluster in ${body.trim().slice(0, 200)}`)
  return {server: v.etcdserver, cluster: v.etcdcluster === 'not_decided' ? null : v.etcdcluster}
}

/** The cluster version from the first of these client URLs that answers; null when none does or none has decided. */
export async function firstClusterVersion(clientURLs: readonly string[], options: {readonly tls?: TlsFiles; readonly timeoutMs: number}): Promise<string | null> {
  for (const url of clientURLs) {
    try {
      const answer = await readClusterVersion(url, options)
      if (answer.cluster !== null) return answer.cluster
    } catch {
      // down or unreachable: the next member may answer
    }
  }
  return null
}
