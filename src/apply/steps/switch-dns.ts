// switch-dns (runbook step 7): move clients to the target members, once every voter the clients will
// use is healthy (the step's precondition). `manual` stops the apply and tells the operator what to
// change; exec, hosts-file and rfc2136 act themselves. With `verify`, the name must then
// resolve to exactly the target members' addresses. With rfc2136 the step then waits out the old
// records' TTL before it completes, so that the removals after it find no client still holding an
// old member's address (src/dns/switch-dns.ts).
import {switchAndVerify} from '../../dns/switch-dns.js'
import {DnsSwitchError} from '../../dns/dns-switch-error.js'
import type {SwitchDnsStep} from '../../plan/types.js'
import {StepFailedError} from '../apply-errors.js'
import type {StepContext} from '../step-context.js'
import type {StepResult} from '../step-result.js'
import {GATE_MARGIN_MS, StepGates} from '../gates/registry.js'
import {sleepWithProgress} from '../sleep-with-progress.js'

export async function runSwitchDns(ctx: StepContext, step: SwitchDnsStep): Promise<StepResult> {
  const dns = ctx.spec.dns
  if (dns === undefined) return {done: 'the spec sets no dns; clients were not moved'}
  let outcome
  try {
    outcome = await switchAndVerify(dns, step.clientURLs, {
      confirmed: ctx.confirmed.has(step.id),
      timeoutMs: ctx.spec.timeouts.stepMs,
      // Timeouts: the health gate stops by itself after timeouts.health; the margin lets its message win.
      beforeChange: () => new StepGates(ctx).awaitAll(ctx.observe, ctx.spec.timeouts.healthMs + GATE_MARGIN_MS),
      onWait: (reason) => ctx.emit({type: 'step-wait', id: step.id, reason}),
      // The TTL wait says every 10 s that it is still waiting, as every other wait does.
      sleep: (ms) => sleepWithProgress(ctx, ms, `the old records' TTL (${Math.round(ms / 1000)} s) to run out`),
    })
  } catch (error) {
    if (error instanceof DnsSwitchError) throw new StepFailedError(step.id, error.message, 'fix the cause, then run the same apply again')
    throw error
  }
  switch (outcome.kind) {
    case 'needs-operator':
      return {operator: outcome.instructions}
    case 'not-verified':
      throw new StepFailedError(step.id, `${dns.name} does not lead to the target members: ${outcome.check.detail}`, `point ${dns.name} at ${outcome.check.expected.join(', ')} (or set dns.verify: false), then run the same apply again`)
    case 'done':
      return {done: outcome.detail}
  }
}
