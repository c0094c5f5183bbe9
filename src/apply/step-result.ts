// What a step's executor returns: done, with its outcome, or stopped at something only the operator
// can do (a manual DNS switch, a member the node provider cannot stop), with what to do. apply then
// stops with exit code 3; `apply PLAN --confirm STEP_ID` records the operator's part as done and goes
// on, and the step observes again on that run that it really is done.

export type StepResult = {readonly done: string} | {readonly operator: string}
