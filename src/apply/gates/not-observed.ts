// What a gate says when the node provider cannot observe what it checks (NotObservableError: the
// exec provider without the command for it, the manual provider always): not a pass dressed up as
// one, and not a refusal either — the check is shown as NOT CHECKED, with what the step relies on
// instead, as a step-warning event (once per run of the step) and in the step's outcome.
import type {NotObservableError} from '../../nodes/not-observable.js'
import {PASS, type GateInput, type GateVerdict} from './gate.js'

export function notObserved(input: GateInput, error: NotObservableError, notChecked: string, reliesOn: string): GateVerdict {
  const warning = `${notChecked}: ${error.message}. ${reliesOn}`
  const note = `not checked: ${warning}; `
  if (!input.memory.notes.includes(note)) {
    input.memory.notes.push(note)
    input.ctx.emit({type: 'step-warning', id: input.step.id, warning})
  }
  return PASS
}
