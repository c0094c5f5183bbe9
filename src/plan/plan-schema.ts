// The plan file's JSON Schema (schemas/plan.schema.json) and its validator, compiled ahead of time by
// src/generate-validators.ts so that reading a plan loads neither ajv nor the schema.
import type {ValidateFunction} from 'ajv'
import {validate} from './plan-validator.generated.js'

export function planSchemaValidator(): ValidateFunction {
  return validate
}
