// Problems at the YAML level, before the spec's meaning is looked at: syntax errors (all the parser
// reports), duplicate keys, and structures that cannot become plain data (keys that are lists or
// mappings, aliases to nothing, an alias inside its own anchor).
import {isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node} from 'yaml'
import type {DiagnosticCollector} from './diagnostic-collector.js'
import type {SpecPath} from './spec-path.js'

const SYNTAX_HINTS: Readonly<Record<string, string>> = {
  TAB_AS_INDENT: 'indent with spaces; YAML does not allow tabs for indentation',
  BAD_INDENT: 'check the indentation: keys of one mapping, and items of one list, must start in the same column',
  MISSING_CHAR: 'close the quote or bracket that is opened earlier',
  BLOCK_AS_IMPLICIT_KEY: 'put a nested mapping on its own lines, indented under its key; quote a value that contains ": "',
  MULTILINE_IMPLICIT_KEY: 'a key must fit on one line: look for a missing ":" or an unclosed quote above',
  MULTIPLE_DOCS: 'a spec file holds one document: remove the second "---" and what follows, or move it to its own file',
  BAD_ALIAS: 'define the anchor (&name) before the alias (*name)',
}
const GENERAL_HINT = 'check the YAML syntax here (indentation, ":" after keys, closing quotes and brackets)'

/**
 * Reports every YAML-level problem. Returns true when the document cannot be turned into plain data
 * (syntax errors, bad aliases, complex keys): checking the meaning of a half-parsed document would
 * only add confusing follow-on errors. Duplicate keys are reported but do not stop the checks.
 */
export function reportYamlProblems(doc: Document, lineCounter: LineCounter, out: DiagnosticCollector): boolean {
  for (const error of doc.errors) {
    const {line, col} = lineCounter.linePos(error.pos[0])
    out.addAt('error', {code: 'yaml-syntax', path: [], message: `YAML syntax: ${lowerFirst(error.message)}`, hint: syntaxHint(error.code, error.message)}, line, col)
  }
  for (const warning of doc.warnings) {
    const {line, col} = lineCounter.linePos(warning.pos[0])
    out.addAt('warning', {code: 'yaml-warning', path: [], message: `YAML: ${lowerFirst(warning.message)}`, hint: 'remove the tag (!...); etcdplan reads plain YAML'}, line, col)
  }
  const structural = checkStructure(doc, lineCounter, out)
  return doc.errors.length > 0 || structural
}

function checkStructure(doc: Document, lineCounter: LineCounter, out: DiagnosticCollector): boolean {
  let fatal = false
  const error = (node: Node, path: SpecPath, code: string, message: string, hint: string): void => {
    const {line, col} = lineCounter.linePos(node.range?.[0] ?? 0)
    out.addAt('error', {code, path, message, hint}, line, col)
  }
  const walk = (node: unknown, path: SpecPath, ancestors: readonly Node[]): void => {
    if (isAlias(node)) {
      const target = node.resolve(doc) as Node | undefined
      if (target === undefined) {
        fatal = true
        error(node, path, 'yaml-syntax', `YAML syntax: alias *${node.source} refers to no anchor`, SYNTAX_HINTS['BAD_ALIAS']!)
      } else if (ancestors.includes(target)) {
        fatal = true
        error(node, path, 'yaml-syntax', `YAML syntax: alias *${node.source} is inside its own anchor, which makes an endless structure`, 'copy the values instead of referring to the anchor from inside it')
      }
      return
    }
    if (isMap(node)) {
      const seen = new Map<string, number>()
      for (const pair of node.items) {
        if (!isScalar(pair.key)) {
          fatal = true
          error((pair.key as Node | null) ?? node, path, 'yaml-syntax', 'YAML syntax: a key must be a plain name, not a list or mapping', 'write keys as plain words, e.g. peerURL:')
          continue
        }
        const key = String(pair.key.value)
        const firstLine = seen.get(key)
        if (firstLine !== undefined) {
          error(pair.key, [...path, key], 'duplicate-key', `duplicate key "${key}"`, `remove one of them (the first is on line ${firstLine}); a key may appear only once in a mapping`)
        } else {
          seen.set(key, lineCounter.linePos(pair.key.range?.[0] ?? 0).line)
        }
        walk(pair.value, [...path, key], [...ancestors, node])
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => walk(item, [...path, index], [...ancestors, node]))
    }
  }
  walk(doc.contents, [], [])
  return fatal
}

function syntaxHint(code: string, message: string): string {
  // "Flow map ... must be sufficiently indented and end with a }": usually a bracket left open.
  const unclosed = /end with an? ([}\]])/.exec(message)
  if (unclosed !== null) return `close the ${unclosed[1] === '}' ? '{' : '['} opened above with ${unclosed[1]}; lines it continues on must be indented more than its key`
  return SYNTAX_HINTS[code] ?? GENERAL_HINT
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1)
}
