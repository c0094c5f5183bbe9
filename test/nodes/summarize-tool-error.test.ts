// The short form of an etcd tool's stderr that goes into error messages, on the shapes etcdctl
// 3.4.23 prints (taken from real runs): a refusal after JSON log lines, the same error printed
// twice, a bus-error crash with its goroutine dump, and output without an `Error:` line.
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {summarizeToolError} from '../../src/nodes/summarize-tool-error.js'

test('the `Error:` lines, each once, without the JSON log before them', () => {
  const restore = '{"level":"info","ts":1796116967.79,"caller":"snapshot/v3_snapshot.go:296","msg":"restoring snapshot"}\nError: snapshot missing hash but --skip-hash-check=false\n'
  assert.equal(summarizeToolError(restore), 'Error: snapshot missing hash but --skip-hash-check=false')
  assert.equal(summarizeToolError('Error: unknown flag: --count-only\n\nError: unknown flag: --count-only\n'), 'Error: unknown flag: --count-only')
  assert.equal(summarizeToolError('Error: invalid database\n'), 'Error: invalid database')
})

test('a crash: its first block, not the goroutine dump', () => {
  const dump = ['unexpected fault address 0x7f67b956a000', 'fatal error: fault', '[signal SIGBUS: bus error code=0x2 addr=0x7f67b956a000 pc=0x8f1975]', '', 'goroutine 105 [running]:', 'runtime.throw({0xd50468?, 0xc7dfc0?})', ...Array.from({length: 200}, (_, i) => `\tframe ${i}`)].join('\n')
  assert.equal(summarizeToolError(dump), 'unexpected fault address 0x7f67b956a000; fatal error: fault; [signal SIGBUS: bus error code=0x2 addr=0x7f67b956a000 pc=0x8f1975]')
})

test('otherwise the last plain lines, and never more than 400 characters', () => {
  assert.equal(summarizeToolError('{"level":"info"}\nsomething odd\nfailed\n'), 'something odd; failed')
  assert.equal(summarizeToolError('{"level":"warn","msg":"only json"}\n'), '{"level":"warn","msg":"only json"}')
  assert.equal(summarizeToolError(''), '')
  const long = summarizeToolError(`Error: ${'x'.repeat(1000)}`)
  assert.equal(long.length, 401)
  assert.ok(long.endsWith('…'))
})
