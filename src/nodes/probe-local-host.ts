// The local provider's probeHost (node-provider.ts): the member's host is this machine, so the etcd
// binary is run with --version, each listen address is bound for a moment, and each file is opened
// for reading, exactly as the etcd the provider starts would do it (same binary, same working
// directory). Nothing is written, and every listener and file opened here is closed before it answers.
import {execFile} from 'node:child_process'
import {createServer} from 'node:net'
import {promisify} from 'node:util'
import {locateBinary} from './find-snapshot-tool.js'
import type {EtcdBinaryProbe, FileProbe, HostProbe, HostProbeRequest, ListenProbe} from './node-provider.js'
import {parseEtcdVersion} from './parse-etcd-version.js'
import {withRegularFile} from './read-local-files.js'

const execFileAsync = promisify(execFile)
/** `etcd --version` answers at once; a binary that hangs is not one etcdplan can use. */
const VERSION_TIMEOUT_MS = 10_000

export async function probeLocalHost(etcd: string, request: HostProbeRequest): Promise<HostProbe> {
  const [binary, listen, files] = await Promise.all([probeEtcdBinary(etcd), Promise.all(request.listen.map(probeListen)), Promise.all(request.files.map(probeFile))])
  return {binary, listen, files}
}

/** Probes of one binary that are running: the members of one host ask together (a plan, a preflight), and share one run. */
const probing = new Map<string, Promise<EtcdBinaryProbe>>()

export function probeEtcdBinary(etcd: string, searchPath = process.env.PATH ?? ''): Promise<EtcdBinaryProbe> {
  const key = `${etcd}\0${searchPath}`
  let probe = probing.get(key)
  if (probe === undefined) {
    // Forgotten once answered: a later probe runs the binary again (it may have been replaced since).
    probe = runEtcdVersion(etcd, searchPath).finally(() => probing.delete(key))
    probing.set(key, probe)
  }
  return probe
}

async function runEtcdVersion(etcd: string, searchPath: string): Promise<EtcdBinaryProbe> {
  const path = (await locateBinary(etcd, searchPath)) ?? etcd
  if (!etcd.includes('/') && path === etcd) return {path, version: null, error: `not found on PATH (${searchPath})`}
  let stdout: string
  try {
    ;({stdout} = await execFileAsync(path, ['--version'], {timeout: VERSION_TIMEOUT_MS}))
  } catch (error) {
    return {path, version: null, error: runError(error)}
  }
  const version = parseEtcdVersion(stdout)
  if (version === null) return {path, version: null, error: `\`${path} --version\` did not print \`etcd Version: X.Y.Z\` first (it printed ${JSON.stringify(stdout.split('\n', 1)[0] ?? '')})`}
  return {path, version: version.text, error: null}
}

function runError(error: unknown): string {
  const e = error as NodeJS.ErrnoException & {killed?: boolean; stderr?: string; code?: string | number}
  if (e.code === 'ENOENT') return 'no such file'
  if (e.code === 'EACCES') return 'not executable (permission denied)'
  if (e.killed === true) return `\`--version\` did not answer within ${VERSION_TIMEOUT_MS / 1000} s`
  const stderr = String(e.stderr ?? '').trim().split('\n').slice(-3).join(' ')
  return `\`--version\` failed${typeof e.code === 'number' ? ` (exit code ${e.code})` : ''}${stderr === '' ? '' : `: ${stderr}`}`
}

/** Binds exactly the URL's host and port (as etcd's net.Listen would) and closes the listener at once. */
export async function probeListen(url: string): Promise<ListenProbe> {
  let host: string
  let port: number
  try {
    const parsed = new URL(url)
    host = parsed.hostname.replace(/^\[(.*)\]$/, '$1')
    port = Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80))
  } catch {
    return {url, address: url, state: 'error', error: 'not a URL'}
  }
  const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
  const server = createServer()
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      // exclusive: a port held by another process is in use even when this process could share it (cluster module).
      server.listen({host, port, exclusive: true}, resolve)
    })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EADDRINUSE') return {url, address, state: 'in-use', error: 'address already in use'}
    if (code === 'EADDRNOTAVAIL') return {url, address, state: 'error', error: `this host has no address ${host}`}
    if (code === 'EACCES') return {url, address, state: 'error', error: 'permission denied (a port below 1024 needs privileges)'}
    return {url, address, state: 'error', error: (error as Error).message}
  }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return {url, address, state: 'free', error: null}
}

/** Opens the file for reading as etcd will (and closes it); a directory is not a file etcd can read. */
export async function probeFile(path: string): Promise<FileProbe> {
  const opened = await withRegularFile(path, async () => ({}))
  return {path, error: 'error' in opened ? opened.error : null}
}
