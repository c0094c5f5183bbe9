// The JSON Schema of the raw YAML spec (schemas/spec.schema.json) and its validator. Editors use the
// same file for completion, so what they offer and what validate accepts cannot drift apart; the
// validator is generated from it at build time (src/generate-validators.ts).
import {readFileSync} from 'node:fs'
import {packageFileUrl} from '../package-file.js'
import type {ErrorObject, ValidateFunction} from 'ajv'
import {validate as generatedValidate} from './spec-validator.generated.js'

/** The subset of JSON Schema the spec schema uses, as far as the diagnostics need to read it. */
export interface SchemaNode {
  readonly $ref?: string
  readonly description?: string
  readonly type?: string
  readonly const?: unknown
  readonly enum?: readonly unknown[]
  readonly default?: unknown
  readonly minimum?: number
  readonly required?: readonly string[]
  readonly properties?: Readonly<Record<string, SchemaNode>>
  readonly items?: SchemaNode
  readonly additionalProperties?: boolean | SchemaNode
  readonly definitions?: Readonly<Record<string, SchemaNode>>
}

export type SchemaError = ErrorObject & {readonly parentSchema?: SchemaNode}

let schema: SchemaNode | undefined

/** Where the schema is shipped: schemas/ at the package root. */
export function specSchemaUrl(): URL {
  return packageFileUrl('schemas/spec.schema.json')
}

/** The schema as data, read on first use (hints about allowed keys, descriptions of missing ones). */
export function specSchema(): SchemaNode {
  schema ??= JSON.parse(readFileSync(specSchemaUrl(), 'utf8')) as SchemaNode
  return schema
}


export function specSchemaValidator(): ValidateFunction {
  return generatedValidate
}

/** The schema node a local $ref ("#/definitions/member") points to. */
export function resolveRef(node: SchemaNode): SchemaNode {
  if (node.$ref === undefined) return node
  const {$ref, ...siblings} = node
  const target = specSchema().definitions?.[$ref.replace(/^#\/definitions\//, '')]
  // Siblings of $ref (description, default) describe this use of the definition; they win.
  return target === undefined ? node : {...target, ...siblings}
}
