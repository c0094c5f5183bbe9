// Why etcd cannot start, read from what one start of it wrote to its log. etcd 3.4/3.5 with
// `logger: zap` (every config etcdplan renders) writes one JSON object a line ({"level", "msg",
// "error", ...}); before its logger is set up it writes plain text: Go's flag package (`flag provided
// but not defined: -x`) and, for a --config-file it cannot parse, capnslog (`2026-01-02 03:04:05.000000
// E | etcdmain: error verifying flags, ...`). Texts and where etcd writes them: docs/etcd-facts.md,
// "Why a member does not start"; each is a real line in test/fixtures/etcd-logs/.
//
// A line counts when it is etcd's last word (level fatal or panic, capnslog C: the process exits), or
// when it names a cause that waiting cannot fix (CAUSES): etcd writes some of those as warnings and
// exits right after (`failed to verify flags`), and others over and over while it keeps running and
// never joins (a peer's certificate that does not verify, another cluster's ID). A named cause wins
// over the fatal line, which often only says that something failed (`discovery failed: cannot fetch
// cluster info from peer urls`), while a warning before it says what (`x509: certificate is valid for
// 127.0.0.9, not 127.0.0.1`).
//
// Left out on purpose, because a member that starts fine writes them too: `failed to find remote peer
// in cluster` (a peer it has not learned of yet, and while it shuts down), connection refused and
// timeouts (a peer restarting), and `rejected connection` (a client with a bad certificate, not this
// member's fault).

export interface StartFailure {
  /** etcd's message and error, readable: `failed to start etcd: listen tcp 127.0.0.1:2379: bind: address already in use`. */
  readonly text: string
  /** The log line as etcd wrote it. */
  readonly line: string
}

/** Causes that never go away by waiting, as etcd words them (etcd-facts.md, "Why a member does not start"). */
const CAUSES: readonly RegExp[] = [
  // A port of its listen-*-urls is taken (embed/etcd.go configurePeerListeners/configureClientListeners).
  /address already in use/,
  // initial-cluster does not match the cluster it joins (etcdserver/api/membership/cluster.go ValidateClusterAndAssignIDs; 3.4.4 words the second one "unmatched member while checking PeerURLs").
  /member count is unequal/,
  /no match found for existing member/,
  /unmatched member while checking PeerURLs/,
  // Its name is not in initial-cluster (etcdserver/config.go, 3.5: server/config/config.go).
  /couldn't find local name/,
  // Its version cannot join the running cluster (etcdserver/server.go isCompatibleWithCluster).
  /incompatible with current running cluster/,
  // initial-cluster-state new for a member the cluster already knows (etcdserver/server.go isMemberBootstrapped).
  /has already been bootstrapped/,
  // It formed, or belongs to, another cluster than its peers' (etcdserver/api/rafthttp/http.go, stream.go).
  /cluster ID mismatch/,
  // A removed member's data dir (etcdserver/api/rafthttp/util.go errMemberRemoved).
  /the member has been permanently removed from the cluster/,
  // Certificates: its peers' do not verify against its CA or lack a SAN for their URL, or its own is refused.
  /x509: /,
  /remote error: tls: /,
  /first record does not look like a TLS handshake/,
  /server gave HTTP response to HTTPS client/,
  // Flags and config it refuses (etcdmain/etcd.go: a warning, then exit 1; Go's flag package: exit 2).
  /failed to verify flags/,
  /error verifying flags/,
  /flag provided but not defined/,
  /invalid value ".*" for flag/,
]

/** Messages that name a cause but are no fault of this start (see the header). */
const NOT_OURS: readonly string[] = ['rejected connection', 'failed to find remote peer in cluster']

interface LogLine {
  readonly final: boolean
  readonly text: string
  readonly msg: string
}

/** The line of `log` (one start's lines) that says why etcd cannot start; null when none does. */
export function findStartFailure(log: string): StartFailure | null {
  let fatal: StartFailure | null = null
  for (const line of log.split('\n')) {
    const parsed = parseLine(line)
    if (parsed === null || NOT_OURS.includes(parsed.msg)) continue
    if (CAUSES.some((cause) => cause.test(parsed.text))) return {text: parsed.text, line}
    if (parsed.final && fatal === null) fatal = {text: parsed.text, line}
  }
  return fatal
}

const CAPNSLOG = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ ([CEWNID]) \| (.*)$/

function parseLine(raw: string): LogLine | null {
  const line = raw.trim()
  if (line === '') return null
  if (line.startsWith('{')) {
    let entry: unknown
    try {
      entry = JSON.parse(line)
    } catch {
      return {final: false, text: line, msg: ''}
    }
    if (entry === null || typeof entry !== 'object') return null
    const {level, msg, error} = entry as {level?: unknown; msg?: unknown; error?: unknown}
    const message = typeof msg === 'string' ? msg : ''
    const text = typeof error === 'string' && error !== '' ? `${message}: ${shorten(error)}` : message
    return {final: level === 'fatal' || level === 'panic' || level === 'dpanic', text, msg: message}
  }
  const capnslog = CAPNSLOG.exec(line)
  if (capnslog !== null) return {final: capnslog[1] === 'C', text: shorten(capnslog[2]!), msg: ''}
  return {final: false, text: line, msg: ''}
}

/**
 * etcd prints whole structs into some errors (`error validating peerURLs {ClusterID:… Members:[…]}:
 * member count is unequal`); a long `{…}` is cut out, the rest of the error is kept.
 */
function shorten(text: string): string {
  let out = ''
  let depth = 0
  let group = ''
  for (const char of text) {
    if (depth === 0 && char !== '{') {
      out += char
      continue
    }
    group += char
    if (char === '{') depth++
    else if (char === '}') depth--
    if (depth === 0) {
      out += group.length > 60 ? '{…}' : group
      group = ''
    }
  }
  return out + group
}
