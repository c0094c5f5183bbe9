import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {readFile, stat, symlink, writeFile, lstat, readdir} from 'node:fs/promises'
import {join} from 'node:path'
import {hostsFileAddresses, rewriteHostsFile} from '../../src/dns/hosts-file.js'
import {isDnsSwitched, switchDns} from '../../src/dns/switch-dns.js'
import {checkDns} from '../../src/dns/verify-dns.js'
import {DnsSwitchError} from '../../src/dns/dns-switch-error.js'
import {NAME, TARGET_URLS, dnsOptions, tempDir} from './dns-fixture.js'

const OPTIONS = {confirmed: false, timeoutMs: 5000}

const BEFORE = [
  '# /etc/hosts: static table lookup',
  '127.0.0.1\tlocalhost',
  '',
  '::1     localhost ip6-localhost   # loopback, spaced oddly  ',
  '10.0.1.1 etcd.example.internal',
  '10.0.1.2\tETCD.Example.Internal',
  '#10.0.1.9 etcd.example.internal (a comment, not an entry)',
  '10.0.1.3  etcd-1  etcd.example.internal\tetcd1.lan   # old member 3',
  '   ',
  '192.168.1.5 printer',
  '',
].join('\n')

const AFTER = [
  '# /etc/hosts: static table lookup',
  '127.0.0.1\tlocalhost',
  '',
  '::1     localhost ip6-localhost   # loopback, spaced oddly  ',
  '#10.0.1.9 etcd.example.internal (a comment, not an entry)',
  '10.0.1.3  etcd-1\tetcd1.lan   # old member 3',
  '   ',
  '192.168.1.5 printer',
  `127.0.2.1\t${NAME} # etcdplan`,
  `127.0.2.2\t${NAME} # etcdplan`,
  `127.0.2.3\t${NAME} # etcdplan`,
  '',
].join('\n')

describe('hosts file text', () => {
  it('reads the addresses of a name (any case, any position on the line), not from comments', () => {
    assert.deepEqual(hostsFileAddresses(BEFORE, NAME), ['10.0.1.1', '10.0.1.2', '10.0.1.3'])
    assert.deepEqual(hostsFileAddresses(BEFORE, 'localhost'), ['127.0.0.1', '::1'])
    assert.deepEqual(hostsFileAddresses(BEFORE, 'etcd'), [])
  })

  it('removes the name everywhere, keeps every other byte, appends one marked line per address', () => {
    assert.equal(rewriteHostsFile(BEFORE, NAME, ['127.0.2.1', '127.0.2.2', '127.0.2.3']), AFTER)
  })

  it('removes only the name from a line that has other names, keeping its spacing and comment', () => {
    assert.equal(rewriteHostsFile('10.0.0.1 a etcd.example.internal b # c\n', NAME, ['10.0.0.9']), `10.0.0.1 a b # c\n10.0.0.9\t${NAME} # etcdplan\n`)
    assert.equal(rewriteHostsFile('10.0.0.1 etcd.example.internal\tb\n', NAME, ['10.0.0.9']), `10.0.0.1\tb\n10.0.0.9\t${NAME} # etcdplan\n`)
    assert.equal(rewriteHostsFile('10.0.0.1 a etcd.example.internal\n', NAME, ['10.0.0.9']), `10.0.0.1 a\n10.0.0.9\t${NAME} # etcdplan\n`)
  })

  it('does not touch a name that merely contains the name', () => {
    const text = '10.0.0.1 etcd.example.internal.lan xetcd.example.internal\n'
    assert.equal(rewriteHostsFile(text, NAME, ['10.0.0.9']), `${text}10.0.0.9\t${NAME} # etcdplan\n`)
  })

  it('keeps CRLF line endings and ends an unterminated last line before appending', () => {
    assert.equal(rewriteHostsFile('127.0.0.1 localhost\r\n10.0.0.1 etcd.example.internal\r\n', NAME, ['10.0.0.9']), `127.0.0.1 localhost\r\n10.0.0.9\t${NAME} # etcdplan\r\n`)
    assert.equal(rewriteHostsFile('127.0.0.1 localhost', NAME, ['10.0.0.9']), `127.0.0.1 localhost\n10.0.0.9\t${NAME} # etcdplan\n`)
    assert.equal(rewriteHostsFile('', NAME, ['10.0.0.9']), `10.0.0.9\t${NAME} # etcdplan\n`)
  })

  it('reads back what it wrote', () => {
    assert.deepEqual(hostsFileAddresses(AFTER, NAME), ['127.0.2.1', '127.0.2.2', '127.0.2.3'])
  })
})

describe('switchDns via hosts-file', () => {
  it('rewrites the file, keeping every other line, comment and blank line exactly', async () => {
    const file = join(await tempDir(), 'hosts')
    await writeFile(file, BEFORE, {mode: 0o640})
    const result = await switchDns(dnsOptions({via: 'hosts-file', file}), TARGET_URLS, OPTIONS)
    assert.deepEqual(result, {kind: 'switched', detail: `rewrote ${file}: ${NAME} → 127.0.2.1, 127.0.2.2, 127.0.2.3`})
    assert.equal(await readFile(file, 'utf8'), AFTER)
    assert.equal((await stat(file)).mode & 0o777, 0o640)
    assert.deepEqual(await readdir(join(file, '..')), ['hosts'], 'no temp file left behind')
  })

  it('is idempotent: a file that is already right is not rewritten', async () => {
    const file = join(await tempDir(), 'hosts')
    await writeFile(file, BEFORE)
    await switchDns(dnsOptions({via: 'hosts-file', file}), TARGET_URLS, OPTIONS)
    const first = await stat(file)
    await new Promise((resolve) => setTimeout(resolve, 20))
    const again = await switchDns(dnsOptions({via: 'hosts-file', file}), [...TARGET_URLS].reverse(), OPTIONS)
    assert.equal(again.kind, 'switched')
    assert.match(again.kind === 'switched' ? again.detail : '', /already points etcd\.example\.internal at 127\.0\.2\.1, 127\.0\.2\.2, 127\.0\.2\.3/)
    const second = await stat(file)
    assert.equal(second.mtimeMs, first.mtimeMs)
    assert.equal(second.ino, first.ino, 'not replaced by a rename either')
    assert.equal(await readFile(file, 'utf8'), AFTER)
  })

  it('counts entries the operator wrote by hand as already right', async () => {
    const file = join(await tempDir(), 'hosts')
    const text = '127.0.2.2 etcd.example.internal\n127.0.2.1 other etcd.example.internal\n127.0.2.3\tetcd.example.internal # by hand\n'
    await writeFile(file, text)
    const result = await switchDns(dnsOptions({via: 'hosts-file', file}), TARGET_URLS, OPTIONS)
    assert.match(result.kind === 'switched' ? result.detail : '', /already points/)
    assert.equal(await readFile(file, 'utf8'), text)
  })

  it('rewrites the file a symlink points at, keeping the symlink', async () => {
    const dir = await tempDir()
    const real = join(dir, 'real-hosts')
    const link = join(dir, 'hosts')
    await writeFile(real, BEFORE)
    await symlink(real, link)
    await switchDns(dnsOptions({via: 'hosts-file', file: link}), TARGET_URLS, OPTIONS)
    assert.ok((await lstat(link)).isSymbolicLink())
    assert.equal(await readFile(real, 'utf8'), AFTER)
  })

  it('refuses a missing file, saying what to do', async () => {
    const file = join(await tempDir(), 'no-such-hosts')
    await assert.rejects(switchDns(dnsOptions({via: 'hosts-file', file}), TARGET_URLS, OPTIONS), (error: unknown) => {
      assert.ok(error instanceof DnsSwitchError)
      assert.match(error.message, /no-such-hosts \(dns\.switch\.file\) does not exist/)
      assert.match(error.message, /check the path in dns\.switch\.file/i)
      return true
    })
  })

  it('refuses client URLs with host names (a hosts file maps names to IPs)', async () => {
    const file = join(await tempDir(), 'hosts')
    await writeFile(file, BEFORE)
    await assert.rejects(switchDns(dnsOptions({via: 'hosts-file', file}), ['http://etcd-a.lan:2379'], OPTIONS), /host name etcd-a\.lan/)
    assert.equal(await readFile(file, 'utf8'), BEFORE)
  })

  it('keeps IPv6 targets without brackets', async () => {
    const file = join(await tempDir(), 'hosts')
    await writeFile(file, '')
    await switchDns(dnsOptions({via: 'hosts-file', file}), ['http://[FD00::0:1]:2379'], OPTIONS)
    assert.equal(await readFile(file, 'utf8'), `fd00::1\t${NAME} # etcdplan\n`)
  })
})

describe('checkDns via hosts-file', () => {
  it('is ok when the file maps the name to exactly the target addresses', async () => {
    const file = join(await tempDir(), 'hosts')
    await writeFile(file, AFTER)
    const check = await checkDns(dnsOptions({via: 'hosts-file', file}), TARGET_URLS)
    assert.deepEqual(check, {
      ok: true,
      addresses: ['127.0.2.1', '127.0.2.2', '127.0.2.3'],
      expected: ['127.0.2.1', '127.0.2.2', '127.0.2.3'],
      detail: `${file} maps ${NAME} to 127.0.2.1, 127.0.2.2, 127.0.2.3 as expected`,
    })
    assert.equal(await isDnsSwitched(dnsOptions({via: 'hosts-file', file}), TARGET_URLS), true)
  })

  it('says what is missing and what is left over on a mismatch', async () => {
    const file = join(await tempDir(), 'hosts')
    await writeFile(file, BEFORE)
    const check = await checkDns(dnsOptions({via: 'hosts-file', file}), ['http://10.0.1.1:2379', 'http://127.0.2.1:2379'])
    assert.equal(check.ok, false)
    assert.deepEqual(check.addresses, ['10.0.1.1', '10.0.1.2', '10.0.1.3'])
    assert.deepEqual(check.expected, ['10.0.1.1', '127.0.2.1'])
    assert.match(check.detail, /missing 127\.0\.2\.1; not a target 10\.0\.1\.2, 10\.0\.1\.3/)
    assert.equal(await isDnsSwitched(dnsOptions({via: 'hosts-file', file}), TARGET_URLS), false)
  })

  it('is not ok, without throwing, when the file has no entry or does not exist', async () => {
    const dir = await tempDir()
    const file = join(dir, 'hosts')
    await writeFile(file, '127.0.0.1 localhost\n')
    const empty = await checkDns(dnsOptions({via: 'hosts-file', file}), TARGET_URLS)
    assert.equal(empty.ok, false)
    assert.match(empty.detail, /no entry for etcd\.example\.internal/)
    const missing = await checkDns(dnsOptions({via: 'hosts-file', file: join(dir, 'nope')}), TARGET_URLS)
    assert.equal(missing.ok, false)
    assert.match(missing.detail, /cannot read the hosts file .*ENOENT/)
  })
})
