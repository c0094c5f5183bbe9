// The figures estimates are made of when the spec gives none, measured on the 2-core development
// machine with etcd 3.4.23 on loopback (npm run bench; README "Estimates against the real run").
// They are deliberately round: an estimate aims to be within 2x of the real duration, not exact.

/** etcd's HealthInterval: a member accepts `member add`/`remove` only after its peer streams have been up this long (etcd-facts.md, "Membership gates"). */
export const HEALTH_WINDOW_MS = 5000

/** Learner catch-up and snapshot copy rate when the spec's estimates.transferRate is not set (bytes/s). */
export const DEFAULT_TRANSFER_RATE = 50 * 1000 * 1000

export const DEFAULT_DURATIONS_MS = {
  /** Preflight: Status of every member and the new hosts' probes. */
  preflight: 300,
  /** A membership call (add, promote, remove) and the observation that confirms it. */
  membershipCall: 200,
  /** A file written on a member's host. */
  fileWrite: 50,
  /** etcd started until it has published its name to the cluster. */
  start: 1500,
  /** etcd restarted (SIGTERM, start) until it is healthy and caught up again. */
  restart: 1500,
  /** A graceful stop. */
  stop: 500,
  /** Leadership moved and the new leader observed. */
  moveLeader: 300,
  /** A catch-up is confirmed on two polls in a row. */
  catchUpConfirm: 700,
  /** A DNS update by command or hosts file, and its read-back. */
  dnsUpdate: 200,
  /** The final check of the membership and health. */
  verify: 300,
  /** etcd raises the cluster version in its leader's monitorVersions loop, every 4 s. */
  clusterVersionRaise: 4000,
  /** snapshot restore's fixed cost (a new data dir, WAL and member bootstrap). */
  restoreFixed: 300,
  /** verify-data: the key count and revision read from both clusters. */
  verifyData: 500,
} as const
