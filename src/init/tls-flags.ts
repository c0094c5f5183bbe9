// --cacert, --cert and --key (etcdctl's names) → etcdplan's client identity, cluster.tls. Checked
// before the cluster is asked, so that a typo in a path is reported as such and not as a TLS failure.
//
// The paths are written into the spec made absolute: a relative path in a spec is read relative to
// the directory etcdplan runs in, not to the spec's (src/spec/normalise-spec.ts keeps it as written),
// so only an absolute path names the same file for `plan` and `apply` run from anywhere.
import {accessSync, constants, statSync} from 'node:fs'
import {resolve} from 'node:path'
import type {TlsFiles} from '../spec/types.js'
import {UserError} from '../user-error.js'

export interface TlsFlags {
  readonly cacert?: string
  readonly cert?: string
  readonly key?: string
}

/** The client TLS files with absolute paths; undefined when no TLS flag is given. */
export function clientTls(flags: TlsFlags, endpoints: readonly string[]): TlsFiles | undefined {
  const https = endpoints.filter((e) => e.startsWith('https://'))
  const given = flags.cacert !== undefined || flags.cert !== undefined || flags.key !== undefined
  if (!given) {
    if (https.length > 0) throw invalid(`${https.join(', ')} ${https.length === 1 ? 'is an https endpoint' : 'are https endpoints'}, and no --cacert was given: etcdplan checks every member's certificate against the CA you give it, never against the system's list`, 'add --cacert FILE (the CA that signed the members\' certificates) and, when the members check client certificates (client-cert-auth), --cert FILE --key FILE')
    return undefined
  }
  if (https.length < endpoints.length) {
    const plain = endpoints.filter((e) => !e.startsWith('https://'))
    throw invalid(`TLS flags were given but ${plain.join(', ')} ${plain.length === 1 ? 'is' : 'are'} not https: the members' client URLs must be https for TLS`, 'give the https:// client URLs, or leave out --cacert, --cert and --key for a cluster without TLS')
  }
  if (flags.cacert === undefined) throw invalid('--cert and --key need --cacert: etcdplan checks the members\' certificates against that CA', 'add --cacert FILE (the CA that signed the members\' certificates)')
  if ((flags.cert === undefined) !== (flags.key === undefined)) throw invalid(`${flags.cert === undefined ? '--key' : '--cert'} was given without ${flags.cert === undefined ? '--cert' : '--key'}: a client certificate needs its key`, 'give both --cert FILE and --key FILE, or neither')
  const ca = readable('--cacert', flags.cacert)
  return {ca, ...(flags.cert === undefined ? {} : {cert: readable('--cert', flags.cert)}), ...(flags.key === undefined ? {} : {key: readable('--key', flags.key)})}
}

function readable(flag: string, path: string): string {
  const absolute = resolve(path)
  try {
    if (!statSync(absolute).isFile()) throw invalid(`${flag} ${path} is not a file`, `give the path of the PEM file`)
    accessSync(absolute, constants.R_OK)
  } catch (error) {
    if (error instanceof UserError) throw error
    const code = (error as NodeJS.ErrnoException).code
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (error as Error).message
    throw invalid(`${flag} ${path}: ${reason}`, code === 'ENOENT' ? 'check the path (relative paths are read from the current directory)' : 'make the file readable by this user')
  }
  return absolute
}

function invalid(message: string, hint: string): UserError {
  return new UserError(`${message}; nothing was written`, hint, 1, 'invalid-flag')
}
