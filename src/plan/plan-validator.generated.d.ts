// Types of the validator that `npm run build` generates from the JSON Schema into dist/ (see
// src/generate-validators.ts); the JavaScript itself is never committed, so it cannot drift from the schema.
import type {ValidateFunction} from 'ajv'

export declare const validate: ValidateFunction
