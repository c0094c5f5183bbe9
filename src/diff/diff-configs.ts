// The configs the new plan writes (write-config, rewrite-config), each as a unified diff against the
// same step's config in the old plan — or from /dev/null when the old plan has no such step — so a
// reviewer reads exactly which lines of which member's config the regenerated plan writes differently.
import {createTwoFilesPatch, FILE_HEADERS_ONLY} from 'diff'
import type {RenderedConfig, Step} from '../plan/types.js'
import type {ConfigDiff} from './plan-diff.js'

export function diffConfigs(oldSteps: readonly Step[], newSteps: readonly Step[]): ConfigDiff[] {
  const oldConfigs = new Map(oldSteps.flatMap((s) => configOf(s)).map((c) => [c.step, c]))
  return newSteps.flatMap((s) => configOf(s)).flatMap((after): ConfigDiff[] => {
    const before = oldConfigs.get(after.step)
    if (before !== undefined && before.config.path === after.config.path && before.config.content === after.config.content) return []
    const diff = unifiedDiff(before?.config ?? null, after.config)
    return [{step: after.step, member: after.member, path: after.config.path, action: before === undefined ? 'add' : 'change', diff}]
  })
}

function configOf(step: Step): {step: string; member: string; config: RenderedConfig}[] {
  return step.kind === 'write-config' || step.kind === 'rewrite-config' ? [{step: step.id, member: step.member, config: step.config}] : []
}

/** `--- old PATH` / `+++ new PATH` and the hunks, without the trailing newline. */
function unifiedDiff(before: RenderedConfig | null, after: RenderedConfig): string {
  const patch = createTwoFilesPatch(before === null ? '/dev/null' : `old ${before.path}`, `new ${after.path}`, before?.content ?? '', after.content, undefined, undefined, {headerOptions: FILE_HEADERS_ONLY})
  return patch.replace(/\n$/, '')
}
