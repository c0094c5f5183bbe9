// Which node provider a spec written by `init` names when the user gives none: `local` only when
// every member runs on this machine (its peer URL's host is a loopback address), since provider local
// acts on this machine alone; `ssh` as soon as one member is elsewhere, the provider for real hosts.
import {isIP} from 'node:net'
import type {NodeProviderName} from '../spec/types.js'

export function defaultProvider(peerURLs: readonly string[]): NodeProviderName {
  return peerURLs.length > 0 && peerURLs.every((url) => isLoopbackHost(urlHost(url))) ? 'local' : 'ssh'
}

/** The host of a URL as written, without IPv6 brackets; '' when it is not a URL. */
export function urlHost(url: string): string {
  try {
    return new URL(url).hostname.replace(/^\[(.*)\]$/, '$1')
  } catch {
    return ''
  }
}

/** 127.0.0.0/8, ::1 and localhost (which resolves to them). */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase()
  if (h === 'localhost' || h.endsWith('.localhost')) return true
  if (isIP(h) === 4) return h.startsWith('127.')
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1'
  return false
}
