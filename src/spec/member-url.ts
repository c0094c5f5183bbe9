// A member's advertised URL as etcd accepts it: http or https, a host and a port, nothing after them
// (etcd's types.NewURLs refuses a path: "URL must not contain a path"). Parsed once here so that every
// rule compares URLs the same way.

export interface MemberUrl {
  readonly scheme: 'http' | 'https'
  /** Host as written in the URL, IPv6 in brackets ("[::1]"), lowercased. */
  readonly host: string
  readonly port: number
  /** "host:port": two URLs with the same address collide whatever their scheme. */
  readonly address: string
  /** scheme://host:port, lowercased: the form kept members are compared in. */
  readonly canonical: string
}

export type MemberUrlResult = {readonly ok: true; readonly url: MemberUrl} | {readonly ok: false; readonly problem: string; readonly hint: string}

const EXAMPLE = 'http://10.0.1.1:2380'

export function parseMemberUrl(text: string): MemberUrlResult {
  const schemeMatch = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(text)
  if (schemeMatch === null) return {ok: false, problem: 'is not a URL', hint: `write it as http://HOST:PORT, e.g. ${EXAMPLE}`}
  const scheme = schemeMatch[1]!.toLowerCase()
  if (scheme !== 'http' && scheme !== 'https') {
    return {ok: false, problem: `uses ${scheme}://; etcd URLs use http:// or https://`, hint: `write it as http://HOST:PORT or https://HOST:PORT, e.g. ${EXAMPLE}`}
  }
  let parsed: URL
  try {
    parsed = new URL(text)
  } catch {
    return {ok: false, problem: 'is not a valid URL', hint: `write it as ${scheme}://HOST:PORT, e.g. ${EXAMPLE}`}
  }
  // Look at the text after the authority ourselves: URL normalises "http://h:1" to pathname "/".
  const afterAuthority = text.slice(schemeMatch[0].length).replace(/^[^/?#]*/, '')
  if (afterAuthority !== '') {
    return {ok: false, problem: `has "${afterAuthority}" after the port; etcd URLs are scheme://host:port only`, hint: `remove "${afterAuthority}"`}
  }
  if (parsed.username !== '' || parsed.password !== '') return {ok: false, problem: 'contains a user name or password', hint: 'remove the "user@" part'}
  if (parsed.hostname === '') return {ok: false, problem: 'has no host', hint: `write it as ${scheme}://HOST:PORT, e.g. ${EXAMPLE}`}
  // URL drops the port when it is the scheme's default (80/443), so look at the text for it.
  const explicitPort = /:(\d+)$/.exec(text.slice(schemeMatch[0].length))
  if (explicitPort === null) {
    return {ok: false, problem: 'has no port', hint: `add the port, e.g. ${scheme}://${parsed.hostname}:2380 for peers or :2379 for clients`}
  }
  const port = Number(explicitPort[1])
  if (port < 1 || port > 65535) return {ok: false, problem: `has port ${explicitPort[1]}, outside 1-65535`, hint: 'use a port between 1 and 65535 (etcd uses 2380 for peers, 2379 for clients)'}
  const host = parsed.hostname.toLowerCase()
  return {ok: true, url: {scheme, host, port, address: `${host}:${port}`, canonical: `${scheme}://${host}:${port}`}}
}

/** 0.0.0.0 and :: mean "every interface" to listen on; nobody can connect to them. */
export function isUnspecifiedHost(host: string): boolean {
  return host === '0.0.0.0' || host === '[::]'
}

/** The host part without IPv6 brackets, as a node provider uses it (ssh target, for example). */
export function bareHost(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host
}
