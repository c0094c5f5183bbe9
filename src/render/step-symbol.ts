// The terraform-like action of each step kind and its symbol: `+` adds, `-` removes, `~` changes,
// `<=` only checks or reads. A new step kind fails to compile here until it is given an action.
import {assertNever, type MemberAction, type Step} from '../plan/types.js'
import type {Style, Styles} from './colour.js'

export type StepAction = 'add' | 'remove' | 'change' | 'read'

export function classifyStep(step: Step): StepAction {
  switch (step.kind) {
    case 'write-config':
    case 'add-learner':
    case 'add-member':
    case 'start-member':
    case 'restore-member':
      return 'add'
    case 'remove-member':
    case 'stop-member':
      return 'remove'
    case 'promote':
    case 'rewrite-config':
    case 'restart-member':
    case 'move-leader':
    case 'switch-dns':
      return 'change'
    case 'preflight':
    case 'wait-caught-up':
    case 'verify':
    case 'snapshot-save':
    case 'snapshot-verify':
    case 'verify-data':
      return 'read'
    default:
      return assertNever(step)
  }
}

const SYMBOLS: Readonly<Record<StepAction | MemberAction, string>> = {
  add: '+',
  remove: '-',
  change: '~',
  read: '<=',
  keep: '',
}

/** The bare symbol: `+`, `-`, `~`, `<=`, or '' for a kept member. */
export function symbolizeAction(action: StepAction | MemberAction): string {
  return SYMBOLS[action]
}

export function symbolizeStep(step: Step): string {
  return symbolizeAction(classifyStep(step))
}

/** The style an action is shown in: green adds, red removes, yellow changes, cyan reads. */
export function styleAction(action: StepAction | MemberAction, s: Styles): Style {
  switch (action) {
    case 'add':
      return s.added
    case 'remove':
      return s.removed
    case 'change':
      return s.changed
    case 'read':
      return s.check
    case 'keep':
      return (text) => text
    default:
      return assertNever(action)
  }
}
