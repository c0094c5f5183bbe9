// Whether `etcdplan apply FILE` was given a saved plan or a spec, decided from the file itself, so that
// a plan gone wrong is refused in a plan's words rather than a spec's.
import {extname} from 'node:path'
import {readFile} from 'node:fs/promises'

/**
 * Whether apply should read FILE as a saved plan (else as a spec). A JSON object with a formatVersion
 * is a plan; one with an apiVersion (or kind Migration) is a spec written as JSON. Anything else named
 * `.json` (missing, empty, truncated, binary, an array, a journal) is a plan file gone wrong, so that
 * readPlanFile refuses it in a plan's words rather than the spec loader in a spec's.
 */
export async function isPlanFile(file: string): Promise<boolean> {
  const ext = extname(file).toLowerCase()
  const namedAsJson = ext === '.json'
  const namedAsYaml = ext === '.yaml' || ext === '.yml'
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch {
    return namedAsJson
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    // A truncated plan file (YAML flow mappings start with { too, so not when named as a spec).
    return namedAsJson || (!namedAsYaml && text.trimStart().startsWith('{'))
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return namedAsJson
  if ('formatVersion' in value) return true
  if ('apiVersion' in value || (value as {kind?: unknown}).kind === 'Migration') return false
  return namedAsJson || 'contentHash' in value || 'steps' in value
}

/** Whether `file` holds a plan (a JSON object with a formatVersion): --spec was given the plan. */
export async function holdsPlan(file: string): Promise<boolean> {
  try {
    const value = JSON.parse(await readFile(file, 'utf8')) as unknown
    return typeof value === 'object' && value !== null && 'formatVersion' in value && 'steps' in value
  } catch {
    return false
  }
}
