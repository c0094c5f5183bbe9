// A throwaway PKI for TLS tests and demos: a CA, a server and a peer certificate per member with SANs
// for its addresses, and a client certificate for etcdplan, made with openssl into a directory at run
// time (never committed). The file names are the ones docs/spec.md uses for memberTLS, peerTLS and
// distribute (`ca.pem`, `{name}.pem`, `{name}-key.pem`, `{name}-peer.pem`, `{name}-peer-key.pem`), so a
// spec can point `distribute.from` at this directory.
//
// Every leaf has both serverAuth and clientAuth: etcd's peer certificates are used in both directions,
// and with client-cert-auth etcd's own grpc-gateway dials the member with its server certificate
// (etcd docs, "Transport security": "the server certificate ... also used as the client certificate").
import {execFile} from 'node:child_process'
import {mkdir, writeFile} from 'node:fs/promises'
import {isIP} from 'node:net'
import {join} from 'node:path'
import {promisify} from 'node:util'

const run = promisify(execFile)

export interface CertAndKey {
  readonly cert: string
  readonly key: string
}

export interface TestPkiMember {
  readonly name: string
  /** Addresses and DNS names the member's certificates are valid for (its URLs' hosts). */
  readonly hosts: readonly string[]
}

export interface TestPki {
  readonly dir: string
  /** The CA certificate (ca.pem) and its key (ca-key.pem, for issuing more in tests). */
  readonly ca: string
  readonly caKey: string
  /** etcdplan's client certificate: etcdplan.pem, etcdplan-key.pem. */
  readonly client: CertAndKey
  server(name: string): CertAndKey
  peer(name: string): CertAndKey
}

export interface IssueOptions {
  /** Subject CN. */
  readonly commonName: string
  /** SANs: IP addresses become IP entries, the rest DNS entries. None: no SAN extension. */
  readonly hosts?: readonly string[]
  /** Validity in days from now; default 30 + 335. */
  readonly days?: number
  /** Sign with this CA instead (e.g. a foreign CA to test a broken chain). */
  readonly ca?: {readonly cert: string; readonly key: string}
}

/** Creates dir with a fresh CA, each member's server and peer certificate, and the client certificate. */
export async function makeTestPki(dir: string, members: readonly TestPkiMember[]): Promise<TestPki> {
  await mkdir(dir, {recursive: true})
  const ca = await makeCa(dir, 'ca', 'etcdplan test CA')
  const client = await issueCert(dir, 'etcdplan', {commonName: 'etcdplan', ca})
  for (const m of members) {
    await issueCert(dir, m.name, {commonName: m.name, hosts: m.hosts, ca})
    await issueCert(dir, `${m.name}-peer`, {commonName: m.name, hosts: m.hosts, ca})
  }
  const pair = (base: string): CertAndKey => ({cert: join(dir, `${base}.pem`), key: join(dir, `${base}-key.pem`)})
  return {dir, ca: ca.cert, caKey: ca.key, client, server: (name) => pair(name), peer: (name) => pair(`${name}-peer`)}
}

/** A self-signed CA: `<base>.pem` and `<base>-key.pem` in dir. */
export async function makeCa(dir: string, base: string, commonName: string): Promise<CertAndKey> {
  const cert = join(dir, `${base}.pem`)
  const key = join(dir, `${base}-key.pem`)
  await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '3650', '-subj', `/CN=${commonName}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'])
  return {cert, key}
}

/** Issues `<base>.pem` and `<base>-key.pem` in dir, signed by options.ca. */
export async function issueCert(dir: string, base: string, options: IssueOptions & {readonly ca: {readonly cert: string; readonly key: string}}): Promise<CertAndKey> {
  const cert = join(dir, `${base}.pem`)
  const key = join(dir, `${base}-key.pem`)
  const csr = join(dir, `${base}.csr`)
  const ext = join(dir, `${base}.ext`)
  const lines = ['basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', 'extendedKeyUsage=serverAuth,clientAuth']
  if (options.hosts !== undefined && options.hosts.length > 0) lines.push(`subjectAltName=${options.hosts.map((h) => (isIP(h) ? `IP:${h}` : `DNS:${h}`)).join(',')}`)
  await writeFile(ext, lines.join('\n') + '\n')
  await run('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', csr, '-subj', `/CN=${options.commonName}`])
  await run('openssl', ['x509', '-req', '-in', csr, '-CA', options.ca.cert, '-CAkey', options.ca.key, '-CAcreateserial', '-days', String(options.days ?? 365), '-extfile', ext, '-out', cert])
  return {cert, key}
}
