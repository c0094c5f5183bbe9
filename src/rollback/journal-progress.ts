// What the journal of a forward migration says about rolling it back: whether a step at or past its
// point of no return has run (or may have: running, failed or waiting counts, since the action may
// have taken effect before the journal could say so), and whether its DNS switch was started. The
// journal keeps only step ids in plan order, so the point is found from them the way the planner
// finds it (point-of-no-return.ts): step ids are `<kind>/<member>`.
import type {Journal, StepRecord} from '../apply/journal.js'
import {kindOf, pointOfNoReturn, type PointOfNoReturn} from '../plan/point-of-no-return.js'
import type {Spec} from '../spec/types.js'

export interface JournalProgress {
  readonly pointOfNoReturn: PointOfNoReturn | null
  /** Steps at or past the point of no return that have run or may have (not pending). */
  readonly pastPoint: readonly StepRecord[]
  /** Whether switch-dns ran or may have: then DNS may lead to the target and must be pointed back. */
  readonly dnsSwitched: boolean
}

export function journalProgress(spec: Spec, journal: Journal): JournalProgress {
  const steps = journal.steps.map((s) => ({id: s.id, kind: kindOf(s.id) as never}))
  const point = pointOfNoReturn(spec.strategy, steps, new Set(spec.source.members.map((m) => m.name)))
  const index = point === null ? -1 : journal.steps.findIndex((s) => s.id === point.stepId)
  const pastPoint = index === -1 ? [] : journal.steps.slice(index).filter((s) => s.status !== 'pending')
  const dns = journal.steps.find((s) => s.id === 'switch-dns')
  return {pointOfNoReturn: point, pastPoint, dnsSwitched: dns !== undefined && dns.status !== 'pending'}
}
