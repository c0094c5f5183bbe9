// The symbol and style of each step's terraform-like action (`+` adds, `-` removes, `~` changes,
// `<=` only checks or reads); the action itself is the step table's (src/plan/step-kinds.ts).
import {kindOf, type StepAction} from '../plan/step-kinds.js'
import {assertNever, type MemberAction, type Step} from '../plan/types.js'
import type {Style, Styles} from './colour.js'

export type {StepAction}

export function classifyStep(step: Step): StepAction {
  return kindOf(step).action
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
