// Schema validation of the raw spec (ajv, every error at once) turned into diagnostics in the user's
// words: `unknown key "peerUrl" in target.members[0]` with a "did you mean" hint, not ajv's
// "must NOT have additional properties".
import type {DiagnosticCollector, Finding} from './diagnostic-collector.js'
import {describeValue, listWords} from './describe-value.js'
import {closestMatch} from './did-you-mean.js'
import {resolveRef, specSchema, specSchemaValidator, type SchemaError, type SchemaNode} from './spec-schema.js'
import {formatPath, pathFromPointer, type SpecPath} from './spec-path.js'
import {isIgnoredKey, plannedKey} from './supported-features.js'

export function validateSpecSchema(raw: unknown, out: DiagnosticCollector): void {
  const validate = specSchemaValidator()
  if (validate(raw)) return
  const errors = (validate.errors ?? []) as SchemaError[]
  // A value of the wrong type also fails its enum/pattern/minimum; the type error alone says it.
  const wrongTypeAt = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath))
  const findings = errors
    .filter((e) => !isLeftToSemanticRules(e) && (e.keyword === 'type' || !wrongTypeAt.has(e.instancePath)))
    .map((e) => ({error: e, finding: describeSchemaError(e, pathFromPointer(e.instancePath, raw))}))
  // `peerUrl` instead of `peerURL` is one mistake: the did-you-mean on the unknown key says it, so
  // the "missing peerURL" it causes is not reported on top.
  const misspelt = new Set(findings.flatMap(({error, finding}) => (finding.suggestedKey === undefined ? [] : [`${error.instancePath}/${finding.suggestedKey}`])))
  for (const {error, finding} of findings) {
    if (error.keyword === 'required' && misspelt.has(`${error.instancePath}/${String((error.params as {missingProperty: string}).missingProperty)}`)) continue
    out.error(finding)
  }
}

/**
 * Errors the semantic rules explain better: URL syntax (what exactly is wrong with it), duration
 * syntax (which unit is unknown) and empty member lists (what that means for the cluster). The schema
 * keeps these keywords so that editors flag the same mistakes as you type.
 */
function isLeftToSemanticRules(error: SchemaError): boolean {
  if (error.schemaPath.startsWith('#/definitions/url/') && error.keyword !== 'type') return true
  if (error.schemaPath === '#/definitions/duration/pattern') return true
  return error.keyword === 'minItems' && /^\/(source|target)\/members$/.test(error.instancePath)
}

/** A finding; for an unknown key, the allowed key it is probably a misspelling of. */
type SchemaFinding = Finding & {readonly suggestedKey?: string}

function describeSchemaError(error: SchemaError, path: SpecPath): SchemaFinding {
  const parent = error.parentSchema ?? {}
  const label = labelOf(path)
  switch (error.keyword) {
    case 'additionalProperties':
      return describeUnknownKey(String((error.params as {additionalProperty: string}).additionalProperty), path, parent)
    case 'required':
      return describeMissingKey(String((error.params as {missingProperty: string}).missingProperty), path, parent)
    case 'type':
      return describeWrongType(error, path, label, parent)
    case 'enum': {
      const allowed = (parent.enum ?? []).map(String)
      const suggestion = typeof error.data === 'string' ? closestMatch(error.data, allowed) : undefined
      return {
        code: 'invalid-value',
        path,
        message: `${label} must be one of ${listWords(allowed)}, not ${describeValue(error.data)}`,
        hint: suggestion !== undefined ? `did you mean "${suggestion}"?` : `use one of: ${allowed.join(', ')}`,
      }
    }
    case 'const':
      return {
        code: 'invalid-value',
        path,
        message: `${label} must be ${describeValue(parent.const)}, not ${describeValue(error.data)}`,
        hint: `write ${String(path[path.length - 1])}: ${String(parent.const)}`,
      }
    case 'pattern':
      if (path.join('.') === 'estimates.transferRate') {
        return {code: 'invalid-value', path, message: `estimates.transferRate ${describeValue(error.data)} is not a rate`, hint: 'write bytes per second with a unit: 100MB/s, 1.5GB/s, 200MiB/s (B, KB, MB, GB, KiB, MiB, GiB)'}
      }
      return describeBadName(error, path)
    case 'minimum':
      return {code: 'invalid-value', path, message: `${label} must be ${parent.minimum ?? 0} or more, not ${describeValue(error.data)}`, hint: `use a whole number of ${parent.minimum ?? 0} or more`}
    case 'minLength':
      return {code: 'invalid-value', path, message: `${label} must not be empty`, hint: `give it a value, or remove ${String(path[path.length - 1])}`}
    default:
      // Not reached with the current schema; kept so a schema change can never hide an error.
      return {code: 'schema', path, message: `${label} ${error.message ?? 'is invalid'}`}
  }
}

function describeUnknownKey(key: string, parentPath: SpecPath, parent: SchemaNode): SchemaFinding {
  const allowed = Object.keys(parent.properties ?? {})
  // docs/spec.md documents it for a later version: "unknown" would send the user looking for a typo.
  const planned = plannedKey(parentPath, key)
  if (planned !== undefined) {
    return {
      code: 'not-supported',
      path: [...parentPath, key],
      message: `${formatPath([...parentPath, key])} is not available in this version of etcdplan: it is for ${planned}, planned for a later version`,
      hint: `remove ${key}; the keys this version reads here are ${listWords(allowed.filter((k) => !isIgnoredKey(parentPath, k)), 'and')}`,
      at: 'key',
    }
  }
  const where = parentPath.length === 0 ? 'at the top level' : `in ${formatPath(parentPath)}`
  const suggestion = closestMatch(key, allowed)
  const elsewhere = suggestion === undefined ? placesAllowing(key) : []
  const hint =
    suggestion !== undefined
      ? `did you mean "${suggestion}"?`
      : elsewhere.length > 0
        ? `"${key}" belongs in ${listWords(elsewhere)}`
        : `allowed keys here: ${allowed.join(', ')}`
  return {code: 'unknown-key', path: [...parentPath, key], message: `unknown key "${key}" ${where}`, hint, at: 'key', ...(suggestion === undefined ? {} : {suggestedKey: suggestion})}
}

function describeMissingKey(key: string, parentPath: SpecPath, parent: SchemaNode): Finding {
  const property = resolveRef(parent.properties?.[key] ?? {})
  const where = parentPath.length === 0 ? 'the spec' : formatPath(parentPath)
  const hint =
    property.const !== undefined
      ? `add ${key}: ${String(property.const)}`
      : `add ${key}${property.description === undefined ? '' : ` — ${lowerFirst(property.description)}`}`
  return {code: 'missing-key', path: parentPath, message: `${where} is missing "${key}"`, hint}
}

function describeWrongType(error: SchemaError, path: SpecPath, label: string, parent: SchemaNode): Finding {
  const found = describeValue(error.data)
  const key = String(path[path.length - 1] ?? '')
  if (error.schemaPath.startsWith('#/definitions/url/')) {
    return {code: 'invalid-url', path, message: `${label} must be a URL such as "http://10.0.1.1:2380", not ${found}`, hint: 'write it as http://HOST:PORT'}
  }
  if (error.schemaPath.startsWith('#/definitions/duration/')) {
    const hint = typeof error.data === 'number' ? `add a unit: "${error.data}s" or "${error.data}m"` : 'write a number and a unit, e.g. "60s", "10m" or "1m30s"'
    return {code: 'invalid-duration', path, message: `${label} must be a duration such as "10m", not ${found}`, hint}
  }
  switch (parent.type) {
    case 'boolean':
      return {code: 'wrong-type', path, message: `${label} must be true or false, not ${found}`, hint: `write ${key}: true or ${key}: false`}
    case 'integer': {
      const range = parent.minimum === 0 ? ' (0 or more)' : ''
      return {code: 'wrong-type', path, message: `${label} must be a whole number${range}, not ${found}`, hint: `write a number without quotes, e.g. ${key}: ${String(parent.default ?? 0)}`}
    }
    case 'string':
      return {code: 'wrong-type', path, message: `${label} must be a string, not ${found}`, hint: typeof error.data === 'number' || typeof error.data === 'boolean' ? `put it in quotes: ${key}: "${String(error.data)}"` : `write ${key}: followed by text`}
    case 'array':
      return {code: 'wrong-type', path, message: `${label} must be a list, not ${found}`, hint: 'write each item on its own line, starting with "- "'}
    case 'object': {
      const needs = parent.required !== undefined && parent.required.length > 0 ? ` with ${listWords([...parent.required], 'and')}` : ''
      return {code: 'wrong-type', path, message: `${label} must be a mapping${needs}, not ${found}`, hint: `write its settings as "key: value" lines indented below ${typeof path[path.length - 1] === 'number' ? 'the "- "' : `${key}:`}`}
    }
    default:
      return {code: 'wrong-type', path, message: `${label} ${error.message ?? 'has the wrong type'}`}
  }
}

/**
 * Patterns on values that reach hosts and servers (ssh destinations and users, DNS servers and zones):
 * what they may be. They start with a letter or digit, so that no value can be taken for an option of
 * ssh or nsupdate (`-oProxyCommand=...`).
 */
const PATTERN_RULES: Readonly<Record<string, {readonly rule: string; readonly example: string}>> = {
  host: {rule: 'an ssh destination: a host name, an alias from your ssh config or an address (user@host allowed), starting with a letter or digit', example: 'host: etcd-b.example.internal'},
  user: {rule: 'a user name: letters, digits, ".", "_" and "-", not starting with "-"', example: 'user: root'},
  server: {rule: 'a DNS server as host or host:port ([v6]:port for IPv6)', example: 'server: 10.0.0.53:53'},
  resolver: {rule: 'a DNS server as host or host:port ([v6]:port for IPv6)', example: 'resolver: 10.0.0.53'},
  zone: {rule: 'a DNS zone name: labels of letters, digits, "_" and "-" separated by "."', example: 'zone: example.internal'},
}

function describeBadName(error: SchemaError, path: SpecPath): Finding {
  const value = describeValue(error.data)
  const rule = PATTERN_RULES[String(path[path.length - 1])]
  if (rule !== undefined) return {code: 'invalid-value', path, message: `${formatPath(path)} ${value} is not valid: it must be ${rule.rule}`, hint: `for example: ${rule.example}`}
  if (path.length === 1) {
    const slug = String(error.data).toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '')
    return {
      code: 'invalid-name',
      path,
      message: `name ${value} may only contain lowercase letters, digits and "-"`,
      hint: slug === '' ? 'for example: name: move-to-rack-b' : `for example: name: ${slug}`,
    }
  }
  return {
    code: 'invalid-name',
    path,
    message: `member name ${value} may only contain letters, digits, ".", "_" and "-", and must start with a letter or digit`,
    hint: 'use the name etcd knows the member by (etcdctl member list), e.g. etcd1',
  }
}

/** `"learner"`, or the whole path where the last step is a list index. */
function labelOf(path: SpecPath): string {
  const last = path[path.length - 1]
  if (last === undefined) return 'the spec'
  return typeof last === 'string' ? `"${last}"` : formatPath(path)
}

let keyIndex: Map<string, string[]> | undefined

/** Where else in the schema `key` is allowed ("join", "each entry of target.members"). */
function placesAllowing(key: string): string[] {
  if (keyIndex === undefined) {
    keyIndex = new Map()
    indexKeys(specSchema(), [], keyIndex)
  }
  return keyIndex.get(key) ?? []
}

function indexKeys(node: SchemaNode, path: string[], index: Map<string, string[]>): void {
  const resolved = resolveRef(node)
  if (resolved.items !== undefined) {
    indexKeys(resolved.items, [...path, '[]'], index)
    return
  }
  // Keys of member.config are etcd's, passed through: suggesting them elsewhere would mislead.
  if (resolved.additionalProperties !== false) return
  for (const [key, child] of Object.entries(resolved.properties ?? {})) {
    const place = describePlace(path)
    index.set(key, [...(index.get(key) ?? []), place])
    indexKeys(child, [...path, key], index)
  }
}

function describePlace(path: readonly string[]): string {
  if (path.length === 0) return 'the top level'
  const text = path.join('.').replace(/\.\[\]/g, '[]')
  return text.endsWith('[]') ? `each entry of ${text.slice(0, -2)}` : text
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1)
}
