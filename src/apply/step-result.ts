// What a step's executor returns: done, with its outcome, or stopped at something only the operator
// can do (a manual DNS switch, a member the node provider cannot stop). apply then stops with exit
// code 3 and the instructions; `apply PLAN --confirm STEP_ID` records the operator's part as done and
// goes on, and every such step observes again on that run that it really is done.
import {PLAN_PLACEHOLDER} from '../dns/manual-instructions.js'

export type StepResult = {readonly done: string} | {readonly operator: string}

/** The operator's part, ending with how to confirm it (the plan's path is filled in by the command). */
export function operatorInstructions(stepId: string, lines: readonly string[]): string {
  return [...lines, 'Then confirm with', `  etcdplan apply ${PLAN_PLACEHOLDER} --confirm ${stepId}`, 'or answer yes at the prompt.'].join('\n')
}
