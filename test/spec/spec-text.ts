// A small valid spec as numbered lines, for tests that change one line and expect a diagnostic at a
// known position. Line numbers are part of the contract of these tests: keep BASE_LINES stable.

export const BASE_LINES: readonly string[] = [
  /* 1 */ 'apiVersion: etcdplan/v1',
  /* 2 */ 'kind: Migration',
  /* 3 */ 'name: test',
  /* 4 */ 'source:',
  /* 5 */ '  members:',
  /* 6 */ '    - {name: etcd1, peerURL: http://10.0.1.1:2380, clientURL: http://10.0.1.1:2379}',
  /* 7 */ '    - {name: etcd2, peerURL: http://10.0.1.2:2380, clientURL: http://10.0.1.2:2379}',
  /* 8 */ '    - {name: etcd3, peerURL: http://10.0.1.3:2380, clientURL: http://10.0.1.3:2379}',
  /* 9 */ 'target:',
  /* 10 */ '  members:',
  /* 11 */ '    - {name: etcd4, peerURL: http://10.0.2.1:2380, clientURL: http://10.0.2.1:2379}',
  /* 12 */ '    - {name: etcd5, peerURL: http://10.0.2.2:2380, clientURL: http://10.0.2.2:2379}',
  /* 13 */ '    - {name: etcd6, peerURL: http://10.0.2.3:2380, clientURL: http://10.0.2.3:2379}',
]

/** The base spec with some 1-based lines replaced (a replacement may span lines) and text appended. */
export function specWith(lines: Readonly<Record<number, string>> = {}, append = ''): string {
  const body = BASE_LINES.map((line, i) => lines[i + 1] ?? line).join('\n')
  return `${body}\n${append}`
}
