// The schema is what editors complete from: every property documented, no key accepted by accident,
// and the validator generated from it up to date.
import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {GENERATED_VALIDATORS, generateValidatorSource} from '../../src/generate-validators.js'
import {specSchema, type SchemaNode} from '../../src/spec/spec-schema.js'

/** Every [path, node] of the schema that describes a value. */
function nodes(node: SchemaNode, path: string): [string, SchemaNode][] {
  const found: [string, SchemaNode][] = [[path, node]]
  for (const [key, child] of Object.entries(node.properties ?? {})) found.push(...nodes(child, `${path}.${key}`))
  if (node.items !== undefined) found.push(...nodes(node.items, `${path}[]`))
  for (const [key, child] of Object.entries(node.definitions ?? {})) found.push(...nodes(child, `#${key}`))
  return found
}

describe('schemas/spec.schema.json', () => {
  const all = nodes(specSchema(), '$')

  it('describes every property', () => {
    const undocumented = all.filter(([path, node]) => !path.endsWith('[]') && (node.description === undefined || node.description.trim() === ''))
    assert.deepEqual(undocumented.map(([path]) => path), [])
  })

  it('refuses unknown keys in every mapping except member.config (etcd keys, passed through)', () => {
    const open = all.filter(([, node]) => (node.type === 'object' || node.properties !== undefined) && node.additionalProperties !== false)
    assert.deepEqual(open.map(([path]) => path), ['#member.config'])
  })

  it('has the spec.md top-level fields', () => {
    assert.deepEqual(Object.keys(specSchema().properties ?? {}), ['apiVersion', 'kind', 'name', 'strategy', 'cluster', 'source', 'target', 'join', 'snapshot', 'dns', 'nodes', 'timeouts', 'estimates'])
  })

  it('the build generated both validators from schemas/ (the plan one is what readPlanFile uses)', () => {
    for (const validator of GENERATED_VALIDATORS) assert.equal(readFileSync(validator.output, 'utf8'), generateValidatorSource(validator), `${validator.output.pathname}: run npm run build`)
  })
})
