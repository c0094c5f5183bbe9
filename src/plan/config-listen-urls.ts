// The URLs a member's rendered etcd config makes it listen on: listen-client-urls, listen-peer-urls
// and (when an extra sets it) listen-metrics-urls, each a comma-separated list as etcd reads it. etcd
// binds every one of them at start and exits on the first it cannot bind (`bind: address already in
// use`) — after the member was added — so the preflight checks them on the member's host first. Pure.
import {parseEtcdConfig} from './parse-etcd-config.js'

const LISTEN_KEYS = ['listen-client-urls', 'listen-peer-urls', 'listen-metrics-urls'] as const

/** The http(s) URLs, client first, each once; [] for a config that is not YAML. */
export function listenURLsOfConfig(content: string): string[] {
  const values = parseEtcdConfig(content)
  if (values === null) return []
  const urls: string[] = []
  for (const key of LISTEN_KEYS) {
    const value = values[key]
    if (typeof value !== 'string') continue
    for (const url of value.split(',').map((u) => u.trim())) {
      // unix:// sockets are files, not ports: etcd creates them itself.
      if (/^https?:\/\//.test(url) && !urls.includes(url)) urls.push(url)
    }
  }
  return urls
}

/** `host:port` of a listen URL, as the plan and the refusals name it. */
export function listenAddress(url: string): string {
  try {
    const {hostname, port, protocol} = new URL(url)
    return `${hostname}:${port || (protocol === 'https:' ? '443' : '80')}`
  } catch {
    return url
  }
}
