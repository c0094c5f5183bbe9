// The spec's `name` for a spec written by `init`: the one given with --name (checked against the
// schema's pattern, so init never writes a spec that fails on its first line), or one derived from
// the output file (`-o move-to-rack-b.yaml` → move-to-rack-b) or, for the default etcdplan.yaml, from
// the cluster ID, which is unique per cluster and stable across runs.
import {basename, extname} from 'node:path'
import {UserError} from '../user-error.js'

/** The schema's pattern for `name` (schemas/spec.schema.json): it names the plan, the state dir and the lock. */
const NAME_PATTERN = /^[a-z0-9-]+$/

/** Refuses a --name the spec would refuse; called before the cluster is asked. */
export function checkMigrationName(given: string | undefined): void {
  if (given !== undefined) {
    if (!NAME_PATTERN.test(given)) {
      throw new UserError(
        `--name ${JSON.stringify(given)} is not a migration name: it may hold only lowercase letters, digits and "-" (it names the plan, the state directory .etcdplan/<name>/ and the lock); nothing was written`,
        `e.g. --name ${suggestion(given) || 'move-to-rack-b'}`,
        1,
        'invalid-flag',
      )
    }
  }
}

export function migrationName(given: string | undefined, outputFile: string, clusterIdHex: string): string {
  if (given !== undefined) {
    checkMigrationName(given)
    return given
  }
  const fromFile = suggestion(basename(outputFile, extname(outputFile)))
  return fromFile !== '' && fromFile !== 'etcdplan' ? fromFile : `etcd-${clusterIdHex}`
}

/** Lowercased, every run of other characters turned into one "-", no "-" at the ends. */
function suggestion(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
}
