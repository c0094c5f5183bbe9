// `snapshot status PATH -w json` with the member's snapshot tool (etcdutl or etcdctl: find-snapshot-tool.ts).
// The tool opens the database and runs bolt's consistency check over it, so a file cut short or
// corrupt is refused before the restored cluster counts (etcd-facts.md, "Snapshot"); the sha256 a
// saved snapshot ends with is checked by restore, not here. A failure is a value, not an exception,
// so the provider can name the member and the old readSnapshotStatus can keep its own error.
import {execFile} from 'node:child_process'
import {promisify} from 'node:util'
import type {HostSnapshotStatus} from './node-provider.js'
import {snapshotToolEnv, type SnapshotTool} from './find-snapshot-tool.js'

const execFileAsync = promisify(execFile)

export type SnapshotStatusOutcome = {readonly ok: true; readonly status: HostSnapshotStatus} | {readonly ok: false; readonly stderr: string}

export async function runSnapshotStatus(tool: SnapshotTool, path: string): Promise<SnapshotStatusOutcome> {
  let stdout: string
  try {
    stdout = (await execFileAsync(tool.path, ['snapshot', 'status', path, '-w', 'json'], {env: snapshotToolEnv(), maxBuffer: 1024 * 1024})).stdout
  } catch (error) {
    const stderr = String((error as {stderr?: string}).stderr ?? '').trim()
    return {ok: false, stderr: stderr === '' ? (error as Error).message : stderr}
  }
  return parseSnapshotStatus(stdout, tool.name)
}

/** The tool's JSON; anything else (no JSON, a field missing) is refused with what it printed. */
export function parseSnapshotStatus(stdout: string, tool: SnapshotTool['name']): SnapshotStatusOutcome {
  let parsed: Record<string, unknown>
  try {
    parsed = JSON.parse(stdout) as Record<string, unknown>
  } catch {
    return {ok: false, stderr: `${tool} printed no JSON: ${stdout.trim().slice(0, 500)}`}
  }
  const field = (name: string): number | null => (typeof parsed[name] === 'number' && Number.isFinite(parsed[name]) ? (parsed[name] as number) : null)
  const hash = field('hash')
  const revision = field('revision')
  const totalKey = field('totalKey')
  const totalSize = field('totalSize')
  if (hash === null || revision === null || totalKey === null || totalSize === null) {
    return {ok: false, stderr: `${tool} printed an unexpected status: ${stdout.trim().slice(0, 500)}`}
  }
  return {ok: true, status: {hash, revision, totalKey, totalSize, tool}}
}
