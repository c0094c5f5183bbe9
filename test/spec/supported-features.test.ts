// The one list of what this version carries out (src/spec/supported-features.ts) against the schema
// and docs/spec.md: every value the schema allows is either supported (and validates) or planned (and
// is refused with not-supported), planned keys are not in the schema (or they would pass unread),
// ignored keys are, and the docs' "Supported in this version" says the same as the list.
import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {parseSpec} from '../../src/spec/load-spec.js'
import {resolveRef, specSchema, type SchemaNode} from '../../src/spec/spec-schema.js'
import {CHECKED_SETTINGS, IGNORED_MEMBER_KEYS, PLANNED_KEYS, supportedValues} from '../../src/spec/supported-features.js'
import {repoRoot} from '../fixtures/repo-root.js'
import {specWith} from './spec-text.js'

function schemaAt(path: readonly string[]): SchemaNode | undefined {
  let node: SchemaNode | undefined = specSchema()
  for (const segment of path) {
    if (node === undefined) return undefined
    node = resolveRef(node)
    node = segment === '[]' ? node.items : node.properties?.[segment]
  }
  return node === undefined ? undefined : resolveRef(node)
}

/** A spec setting `path` to `value`, with the settings that value needs. */
function specSetting(path: readonly (string | number)[], value: string): string {
  if (path.join('.') === 'nodes.provider') {
    const settings = value === 'exec' ? '  exec: {writeConfig: [w], start: [s], stop: [t], isRunning: [i]}\n' : ''
    return specWith({}, `nodes:\n  provider: ${value}\n${settings}`)
  }
  const extra = value === 'exec' ? ', command: [./switch-dns.sh]' : value === 'hosts-file' ? ', file: /etc/hosts' : value === 'rfc2136' ? ', rfc2136: {server: 10.0.0.53, zone: internal, keyFile: /etc/etcdplan/tsig.key}' : ''
  return specWith({}, `dns:\n  name: etcd.internal\n  switch: {via: ${value}${extra}}\n`)
}

describe('supported features: one list, agreeing with the schema and the docs', () => {
  for (const setting of CHECKED_SETTINGS) {
    const name = setting.path.join('.')
    it(`${name}: every value of the schema is marked supported or planned`, () => {
      const allowed = (schemaAt(setting.path.map(String))?.enum ?? []).map(String)
      assert.ok(allowed.length > 0, `no enum at ${name} in the schema`)
      assert.deepEqual([...allowed].sort(), Object.keys(setting.values).sort())
    })

    for (const value of Object.keys(setting.values)) {
      const supported = supportedValues(setting).includes(value)
      it(`${name}: ${value} is ${supported ? 'accepted' : 'refused by validate'}`, () => {
        const result = parseSpec(specSetting(setting.path, value), 'spec.yaml')
        const refusals = result.diagnostics.filter((d) => d.code === 'not-supported')
        if (supported) {
          assert.deepEqual(result.diagnostics.filter((d) => d.severity === 'error'), [])
          assert.notEqual(result.spec, null)
        } else {
          assert.equal(refusals.length, 1, JSON.stringify(result.diagnostics))
          assert.deepEqual(refusals[0]!.path, [...setting.path])
          assert.match(refusals[0]!.message, new RegExp(`^${name.replace(/\./g, '\\.')} "${value}" is not available in this version of etcdplan: supported (is|are) `))
          assert.equal(result.spec, null)
        }
      })
    }
  }

  it('planned keys are not in the schema, so that the schema never accepts them unread', () => {
    for (const key of Object.keys(PLANNED_KEYS)) {
      const path = key.replace(/^members\[\]/, 'source.members.[]').split('.')
      assert.equal(schemaAt(path), undefined, `${key} is in the schema: implement it or take it out of PLANNED_KEYS`)
      assert.ok(schemaAt(path.slice(0, -1)) !== undefined, `the parent of ${key} is not in the schema`)
    }
  })

  it('ignored member keys are in the schema (the contract keeps them)', () => {
    for (const key of Object.keys(IGNORED_MEMBER_KEYS)) assert.ok(schemaAt(['target', 'members', '[]', key]) !== undefined, key)
  })

  it('docs/spec.md says what this version supports, and what it refuses', () => {
    const doc = readFileSync(join(repoRoot, 'docs', 'spec.md'), 'utf8')
    const section = /## Supported in this version\n([\s\S]*?)\n## /.exec(doc)?.[1]
    assert.ok(section !== undefined, 'docs/spec.md has no "## Supported in this version" section')
    for (const setting of CHECKED_SETTINGS) {
      for (const value of Object.keys(setting.values)) assert.ok(section.includes(`\`${value}\``), `the section does not name ${setting.path.join('.')} \`${value}\``)
    }
    for (const key of [...Object.keys(PLANNED_KEYS), ...Object.keys(IGNORED_MEMBER_KEYS)]) {
      const leaf = key.split('.').pop()!
      assert.ok(section.includes(leaf), `the section does not mention ${key}`)
    }
  })
})
