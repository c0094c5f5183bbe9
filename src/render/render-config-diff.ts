// A member's etcd config as a unified diff: from /dev/null when the plan writes a new file, from
// the previous content when it rewrites one. Reviewers read exactly the bytes apply will write.
import {createTwoFilesPatch, FILE_HEADERS_ONLY} from 'diff'
import type {RenderedConfig} from '../plan/types.js'
import {styles, type Styles} from './colour.js'

export interface ConfigChange {
  /** null when the file is new. */
  readonly before: RenderedConfig | null
  readonly after: RenderedConfig
}

export function renderConfigDiff({before, after}: ConfigChange, {colour}: {readonly colour: boolean}): string {
  const patch = createTwoFilesPatch(before?.path ?? '/dev/null', after.path, before?.content ?? '', after.content, undefined, undefined, {
    headerOptions: FILE_HEADERS_ONLY,
  })
  const lines = patch.replace(/\n$/, '').split('\n')
  // Identical content gives the two file headers only; say so rather than end on an empty diff.
  if (lines.length <= 2) lines.push(' (no changes)')
  const s = styles(colour)
  return lines.map((line) => colourDiffLine(line, s)).join('\n')
}

/** A unified diff's line in the colours of the rest: headers bold, hunks cyan, + green, - red. */
export function colourDiffLine(line: string, s: Styles): string {
  if (line.startsWith('--- ') || line.startsWith('+++ ')) return s.bold(line)
  if (line.startsWith('@@')) return s.check(line)
  if (line.startsWith('+')) return s.added(line)
  if (line.startsWith('-')) return s.removed(line)
  if (line.startsWith('\\')) return s.dim(line)
  return line
}
