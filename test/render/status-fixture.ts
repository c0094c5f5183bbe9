// Hand-built rows and reports for the `etcdplan status` view tests: a healthy source member by
// default, every field overridable.
import type {StatusRow} from '../../src/status/status-report.js'

export function row(overrides: Partial<StatusRow> & Pick<StatusRow, 'name' | 'endpoint'>): StatusRow {
  return {
    id: null,
    version: '3.4.23',
    dbSize: 20480,
    isLeader: false,
    isLearner: false,
    raftTerm: 2,
    raftIndex: 1234,
    raftAppliedIndex: 1234,
    hasLeader: true,
    errors: [],
    error: null,
    health: 'healthy',
    role: 'source',
    membership: 'member',
    ...overrides,
  }
}

/** A row of a member that did not answer: dashes everywhere, and why. */
export function silent(overrides: Partial<StatusRow> & Pick<StatusRow, 'name' | 'endpoint' | 'error'>): StatusRow {
  return row({version: null, dbSize: null, isLearner: null, raftTerm: null, raftIndex: null, raftAppliedIndex: null, hasLeader: null, health: 'unreachable', ...overrides})
}
