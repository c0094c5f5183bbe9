// The small decisions of `init`, each on its own: the schema line's path, the default provider, the
// migration name, TLS flags, and the TLS failures named from grpc's/OpenSSL's text (as observed with
// etcd 3.4.23 and Node 20).
import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {defaultProvider, isLoopbackHost} from '../../src/init/default-provider.js'
import {migrationName} from '../../src/init/migration-name.js'
import {checkOutputFile} from '../../src/init/output-file.js'
import {schemaReference} from '../../src/init/schema-line.js'
import {clientTls} from '../../src/init/tls-flags.js'
import {UserError} from '../../src/user-error.js'
import {tempDir} from '../fixtures/temp-dir.js'

describe('schemaReference', () => {
  const schema = '/opt/etcdplan/schemas/spec.schema.json'
  it('relative inside the package, as plans/*.yaml do', () => {
    assert.equal(schemaReference('/opt/etcdplan/plans/x.yaml', schema), '../schemas/spec.schema.json')
    assert.equal(schemaReference('/opt/etcdplan/etcdplan.yaml', schema), './schemas/spec.schema.json')
  })
  it('the absolute path of the installed schema anywhere else', () => {
    assert.equal(schemaReference('/home/u/etcdplan.yaml', schema), schema)
    assert.equal(schemaReference('/opt/etcdplan-other/x.yaml', schema), schema)
  })
})

describe('defaultProvider', () => {
  it('local when every member is on a loopback address', () => assert.equal(defaultProvider(['http://127.0.1.1:2380', 'http://localhost:2380', 'http://[::1]:2380']), 'local'))
  it('ssh as soon as one is not', () => assert.equal(defaultProvider(['http://127.0.1.1:2380', 'http://10.0.0.1:2380']), 'ssh'))
  it('loopback hosts', () => {
    assert.equal(isLoopbackHost('127.255.0.1'), true)
    assert.equal(isLoopbackHost('128.0.0.1'), false)
    assert.equal(isLoopbackHost('etcd1.example'), false)
  })
})

describe('migrationName', () => {
  it('from the output file, etcd-<id> for etcdplan.yaml, --name as given', () => {
    assert.equal(migrationName(undefined, 'specs/Move To Rack B.yaml', 'ab'), 'move-to-rack-b')
    assert.equal(migrationName(undefined, 'etcdplan.yaml', '28d477f24aed93f6'), 'etcd-28d477f24aed93f6')
    assert.equal(migrationName('prod-move', 'etcdplan.yaml', 'ab'), 'prod-move')
  })
  it('refuses a --name the schema would refuse, with a suggestion', () => {
    assert.throws(() => migrationName('Prod_Move', 'x.yaml', 'ab'), (e: unknown) => e instanceof UserError && /lowercase letters, digits and "-"/.test(e.message) && e.hint === 'e.g. --name prod-move')
  })
})

describe('clientTls', () => {
  const dir = tempDir('etcdplan-init-tls-flags-')
  const ca = join(dir, 'ca.pem')
  writeFileSync(ca, 'x')
  it('none for http endpoints without flags', () => assert.equal(clientTls({}, ['http://a:2379']), undefined))
  it('https needs --cacert', () => assert.throws(() => clientTls({}, ['https://a:2379']), /no --cacert was given/))
  it('--cert needs --key', () => assert.throws(() => clientTls({cacert: ca, cert: ca}, ['https://a:2379']), /--cert was given without --key/))
  it('TLS flags with http endpoints are refused', () => assert.throws(() => clientTls({cacert: ca}, ['http://a:2379']), /not https/))
  it('a missing file is named', () => assert.throws(() => clientTls({cacert: join(dir, 'nope.pem')}, ['https://a:2379']), /--cacert .*nope\.pem: no such file/))
  it('paths become absolute (a spec reads relative paths from where etcdplan runs)', () => {
    const cwd = process.cwd()
    process.chdir(dir)
    try {
      assert.deepEqual(clientTls({cacert: 'ca.pem'}, ['https://a:2379']), {ca})
    } finally {
      process.chdir(cwd)
    }
  })
})

describe('checkOutputFile', () => {
  const dir = tempDir('etcdplan-init-out-')
  it('refuses an existing file without force, allows it with', () => {
    const file = join(dir, 'etcdplan.yaml')
    writeFileSync(file, 'x')
    assert.throws(() => checkOutputFile(file, false), (e: unknown) => e instanceof UserError && e.code === 'output-exists')
    checkOutputFile(file, true)
  })
  it('refuses a missing directory', () => assert.throws(() => checkOutputFile(join(dir, 'no', 'x.yaml'), false), /its directory .* does not exist/))
})

