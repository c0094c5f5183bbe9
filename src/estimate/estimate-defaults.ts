// The figures estimates are made of when the spec gives none, measured on the 2-core development
// machine with etcd 3.4.23 on loopback (npm run bench; README "Estimates against the real run").
// They are deliberately round: an estimate aims to be within 2x of the real duration, not exact.
// Measured (npm run bench, 20,000 keys of 1 KiB = 28 MB; two runs, the machine busy and quiet): a new
// member's start plus its catch-up 0.3-0.7 s (the learner receives the data while it starts), a start
// of a restored member 0.12-0.26 s, a restart 0.2-0.4 s (3.5.16: 1.1-1.4 s), a stop, a membership call or a leadership
// transfer 10-160 ms, snapshot save 0.23-0.9 s and a restore 0.16-0.5 s of that DB; the add after a
// promote refused for 4.7-5.1 s. Where the runs differ the figure lies between them.

/** etcd's HealthInterval: a member accepts `member add`/`remove` only after its peer streams have been up this long (etcd-facts.md, "Membership gates"). */
export const HEALTH_WINDOW_MS = 5000

/** Learner catch-up and snapshot copy rate when the spec's estimates.transferRate is not set (bytes/s). */
export const DEFAULT_TRANSFER_RATE = 150 * 1000 * 1000

export const DEFAULT_DURATIONS_MS = {
  /** Preflight: Status of every member and the new hosts' probes. */
  preflight: 150,
  /** A membership call (add, promote, remove) and the observation that confirms it. */
  membershipCall: 100,
  /** A file written on a member's host. */
  fileWrite: 20,
  /** etcd started until it has published its name to the cluster. */
  start: 300,
  /** A restored member of a new cluster started until its cluster answers (strategy snapshot): nothing to receive. */
  startRestored: 150,
  /** etcd 3.4 restarted (SIGTERM, start) until it is healthy and caught up again. */
  restart: 500,
  /**
   * The same on etcd 3.5+: its graceful stop waits up to 1 s for its peer listener to drain (embed/etcd.go
   * Close, "wait up to 1-second"), which it never does while the other members keep dialing it, so a
   * restart of a member of a running cluster costs that second (measured with 3.5.16: 1.07-1.40 s).
   */
  restartPeerDrain: 1300,
  /** A graceful stop. */
  stop: 100,
  /** Leadership moved and the new leader observed. */
  moveLeader: 100,
  /** A catch-up is confirmed on two polls in a row. */
  catchUpConfirm: 100,
  /** A DNS update by command or hosts file, and its read-back. */
  dnsUpdate: 200,
  /** The final check of the membership and health. */
  verify: 100,
  /** etcd raises the cluster version in its leader's monitorVersions loop, every 4 s: half of that on average. */
  clusterVersionRaise: 2000,
  /** snapshot restore's fixed cost (a new data dir, WAL and member bootstrap). */
  restoreFixed: 100,
  /** fence-member: the member checked gone, its files renamed on its host. */
  fence: 30,
  /** verify-data: the key count and revision read from both clusters. */
  verifyData: 300,
} as const
