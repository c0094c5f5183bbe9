// switch-dns (runbook step 7): move clients to the target members, once every voter the clients will
// use is healthy (the step's precondition). `manual` stops the apply and tells the operator what to
// change; exec and hosts-file act themselves. With `verify`, the name must then
// resolve to exactly the target members' addresses.
import {checkDns} from '../../dns/verify-dns.js'
import {isDnsSwitched, switchDns} from '../../dns/switch-dns.js'
import {DnsSwitchError} from '../../dns/dns-switch-error.js'
import type {SwitchDnsStep} from '../../plan/types.js'
import {StepFailedError} from '../apply-errors.js'
import type {StepContext} from '../step-context.js'
import type {StepResult} from '../step-result.js'
import {GATE_MARGIN_MS, StepGates} from '../gates/registry.js'

export async function runSwitchDns(ctx: StepContext, step: SwitchDnsStep): Promise<StepResult> {
  const dns = ctx.spec.dns
  if (dns === undefined) return {done: 'the spec sets no dns; clients were not moved'}
  let detail: string
  if (await isDnsSwitched(dns, step.clientURLs)) {
    detail = `${dns.name} already points at the target members`
  } else {
    // Timeouts: the health gate stops by itself after timeouts.health; the margin lets its message win.
    await new StepGates(ctx).awaitAll(ctx.observe, ctx.spec.timeouts.healthMs + GATE_MARGIN_MS)
    try {
      const result = await switchDns(dns, step.clientURLs, {confirmed: ctx.confirmed.has(step.id), timeoutMs: ctx.spec.timeouts.stepMs})
      if (result.kind === 'needs-operator') return {operator: result.instructions}
      detail = result.detail
    } catch (error) {
      if (error instanceof DnsSwitchError) throw new StepFailedError(step.id, error.message, 'fix the cause, then run the same apply again')
      throw error
    }
  }
  if (!dns.verify) return {done: detail}
  const check = await checkDns(dns, step.clientURLs)
  if (!check.ok) throw new StepFailedError(step.id, `${dns.name} does not lead to the target members: ${check.detail}`, `point ${dns.name} at ${check.expected.join(', ')} (or set dns.verify: false), then run the same apply again`)
  return {done: `${detail}; verified: ${dns.name} → ${check.addresses.join(', ')}`}
}
