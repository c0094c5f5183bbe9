// Spec text → validated, normalised Spec plus every diagnostic, in one pass: YAML problems, then the
// schema and the semantic rules together (so a user fixes everything in one round), then defaults.
// Nothing here prints or throws on bad input; callers render the diagnostics.
import {readFile} from 'node:fs/promises'
import {LineCounter, parseDocument} from 'yaml'
import {hashOf} from '../canonical-json.js'
import {deepFreeze} from '../deep-freeze.js'
import type {Diagnostic} from './diagnostic.js'
import {DiagnosticCollector} from './diagnostic-collector.js'
import {normaliseSpec} from './normalise-spec.js'
import {isRecord, type RawSpec} from './raw-spec.js'
import {checkSemanticRules} from './semantic-rules.js'
import {createSourcePositions} from './source-positions.js'
import type {Spec} from './types.js'
import {validateSpecSchema} from './validate-spec.js'
import {reportYamlProblems} from './yaml-problems.js'

export interface SpecLoadResult {
  /** null when there is any error (warnings alone keep it). */
  readonly spec: Spec | null
  /** Errors and warnings, sorted by line, then column. */
  readonly diagnostics: readonly Diagnostic[]
  /** hashOf(spec) when spec is non-null: independent of key order, comments and defaults written out. */
  readonly specHash: string | null
  /** 1-based position of a JSON path in the source (nearest existing ancestor if the path is absent), for diagnostics other layers raise. */
  readonly locate: (path: readonly (string | number)[]) => {line: number; col: number}
  /** The spec's text as read (null when the file could not be read), for code frames under diagnostics. */
  readonly text: string | null
}

/** Aliases a spec may expand; far above any real spec, low enough to stop a "billion laughs" file. */
const MAX_ALIAS_COUNT = 100

export function parseSpec(text: string, file: string): SpecLoadResult {
  // Editors do not count a byte-order mark as a column; neither do we.
  const source = text.replace(/^\uFEFF/, '')
  const lineCounter = new LineCounter()
  // uniqueKeys off: duplicate keys are reported by reportYamlProblems with the key's name and path.
  const doc = parseDocument(source, {lineCounter, prettyErrors: false, uniqueKeys: false})
  const positions = createSourcePositions(doc, lineCounter)
  const out = new DiagnosticCollector(file, positions)
  const locate = (path: readonly (string | number)[]): {line: number; col: number} => ({...positions.locateValue(path)})
  const finish = (spec: Spec | null): SpecLoadResult => ({spec, diagnostics: out.sorted(), specHash: spec === null ? null : hashOf(spec), locate, text: source})

  if (reportYamlProblems(doc, lineCounter, out)) return finish(null)
  let raw: unknown
  try {
    raw = doc.toJS({maxAliasCount: MAX_ALIAS_COUNT})
  } catch (error) {
    out.addAt('error', {code: 'yaml-syntax', path: [], message: `YAML: ${(error as Error).message}`, hint: 'use fewer aliases (*name); write the values out instead'}, 1, 1)
    return finish(null)
  }
  if (raw === null || raw === undefined) {
    out.error({
      code: 'empty-spec',
      path: [],
      message: 'the spec is empty',
      hint: 'start with apiVersion: etcdplan/v1, kind: Migration, name, source.members and target.members (plans/runbook.yaml is an example)',
    })
    return finish(null)
  }
  if (!isRecord(raw)) {
    out.error({
      code: 'not-a-mapping',
      path: [],
      message: `the spec must be a mapping of keys (apiVersion: ..., kind: ...), not ${Array.isArray(raw) ? 'a list' : `the value ${JSON.stringify(raw)}`}`,
      hint: 'write the spec as "key: value" lines starting at the first column: apiVersion, kind, name, source, target',
    })
    return finish(null)
  }
  validateSpecSchema(raw, out)
  checkSemanticRules(raw, out, positions)
  return finish(out.hasErrors() ? null : deepFreeze(normaliseSpec(raw as unknown as RawSpec)))
}

export async function loadSpecFile(file: string): Promise<SpecLoadResult> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    return unreadable(file, error as NodeJS.ErrnoException)
  }
  return parseSpec(text, file)
}

function unreadable(file: string, error: NodeJS.ErrnoException): SpecLoadResult {
  const [reason, hint] =
    error.code === 'ENOENT'
      ? ['no such file', 'check the path; etcdplan reads etcdplan.yaml in the current directory unless given a file (plans/runbook.yaml is an example spec)']
      : error.code === 'EACCES' || error.code === 'EPERM'
        ? ['permission denied', 'make the file readable by this user (chmod u+r) or run as a user who can read it']
        : error.code === 'EISDIR'
          ? ['it is a directory', 'give the path of the spec file, e.g. plans/runbook.yaml']
          : [error.message, 'check that the file exists and is readable']
  const diagnostic: Diagnostic = {severity: 'error', code: 'file-unreadable', message: `cannot read the spec ${file}: ${reason}`, hint, file, line: 1, col: 1, path: []}
  return {spec: null, diagnostics: [diagnostic], specHash: null, locate: () => ({line: 1, col: 1}), text: null}
}
