import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {isDnsSwitched, switchDns} from '../../src/dns/switch-dns.js'
import {DnsSwitchError} from '../../src/dns/dns-switch-error.js'
import {NAME, TARGET_URLS, dnsOptions, tempDir} from './dns-fixture.js'

const node = process.execPath

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('switchDns via exec', () => {
  it('runs the command without a shell, the target in its environment', async () => {
    const out = join(await tempDir(), 'env.json')
    const script = 'const e = process.env; require("fs").writeFileSync(process.argv[1], JSON.stringify([e.ETCDPLAN_DNS_NAME, e.ETCDPLAN_TARGET_CLIENT_URLS, e.ETCDPLAN_TARGET_ADDRESSES, e.PATH !== undefined]))'
    const command = [node, '-e', script, out]
    const result = await switchDns(dnsOptions({via: 'exec', command}), TARGET_URLS, {confirmed: false, timeoutMs: 10_000})
    assert.equal(result.kind, 'switched')
    assert.match(result.kind === 'switched' ? result.detail : '', /^ran .*node.* -e '.*' .*env\.json for etcd\.example\.internal → 127\.0\.2\.1, 127\.0\.2\.2, 127\.0\.2\.3$/)
    assert.deepEqual(JSON.parse(await readFile(out, 'utf8')), [
      NAME,
      'http://127.0.2.3:2379,http://127.0.2.1:2379,http://127.0.2.2:2379',
      '127.0.2.1,127.0.2.2,127.0.2.3',
      true,
    ])
  })

  it('passes arguments verbatim (no shell expansion)', async () => {
    const out = join(await tempDir(), 'arg.txt')
    await switchDns(dnsOptions({via: 'exec', command: [node, '-e', 'require("fs").writeFileSync(process.argv[1], process.argv[2])', out, '$HOME *']}), TARGET_URLS, {confirmed: false, timeoutMs: 10_000})
    assert.equal(await readFile(out, 'utf8'), '$HOME *')
  })

  it('fails with the exit code and the tail of the output', async () => {
    const script = 'for (let i = 1; i <= 30; i++) console.log("line " + i); console.error("nsupdate: REFUSED"); process.exit(3)'
    await assert.rejects(switchDns(dnsOptions({via: 'exec', command: [node, '-e', script]}), TARGET_URLS, {confirmed: false, timeoutMs: 10_000}), (error: unknown) => {
      assert.ok(error instanceof DnsSwitchError)
      assert.match(error.message, /exited with code 3/)
      assert.match(error.message, /nsupdate: REFUSED/)
      assert.match(error.message, /run apply again/)
      const lines = error.output.split('\n')
      assert.equal(lines.length, 20)
      assert.equal(lines[0], 'line 12')
      assert.equal(lines.at(-1), 'nsupdate: REFUSED')
      assert.doesNotMatch(error.message, /line 11\n/)
      return true
    })
  })

  it('kills the command by its pid when it runs past the deadline', async () => {
    const pidFile = join(await tempDir(), 'pid')
    const script = 'require("fs").writeFileSync(process.argv[1], String(process.pid)); console.log("waiting for the DNS server"); setInterval(() => {}, 1000)'
    const started = Date.now()
    await assert.rejects(switchDns(dnsOptions({via: 'exec', command: [node, '-e', script, pidFile]}), TARGET_URLS, {confirmed: false, timeoutMs: 2000}), (error: unknown) => {
      assert.ok(error instanceof DnsSwitchError)
      assert.match(error.message, /did not finish within 2s/)
      assert.match(error.message, /was killed/)
      assert.match(error.output, /waiting for the DNS server/)
      return true
    })
    assert.ok(Date.now() - started < 6000)
    const pid = Number(await readFile(pidFile, 'utf8'))
    assert.equal(isAlive(pid), false)
  })

  it('ends a command that ignores SIGTERM with SIGKILL', async () => {
    const pidFile = join(await tempDir(), 'pid')
    const script = 'process.on("SIGTERM", () => {}); require("fs").writeFileSync(process.argv[1], String(process.pid)); setInterval(() => {}, 1000)'
    await assert.rejects(switchDns(dnsOptions({via: 'exec', command: [node, '-e', script, pidFile]}), TARGET_URLS, {confirmed: false, timeoutMs: 2000}), /was killed/)
    assert.equal(isAlive(Number(await readFile(pidFile, 'utf8'))), false)
  })

  it('says when the program cannot be run', async () => {
    await assert.rejects(switchDns(dnsOptions({via: 'exec', command: ['/no/such/switch-dns']}), TARGET_URLS, {confirmed: false, timeoutMs: 5000}), (error: unknown) => {
      assert.ok(error instanceof DnsSwitchError)
      assert.match(error.message, /could not run the DNS switch command \/no\/such\/switch-dns: .*ENOENT/)
      assert.match(error.message, /executable path or on PATH/)
      return true
    })
  })

  it('refuses a missing command', async () => {
    await assert.rejects(switchDns(dnsOptions({via: 'exec'}), TARGET_URLS, {confirmed: false, timeoutMs: 5000}), /dns\.switch\.command is not set/)
  })

  it('is never known to be switched beforehand (the journal remembers it)', async () => {
    assert.equal(await isDnsSwitched(dnsOptions({via: 'exec', command: ['true']}), TARGET_URLS), false)
  })
})
