import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import type {Diagnostic} from '../../src/spec/diagnostic.js'
import {diagnosticsToJson, renderDiagnostics} from '../../src/render/render-diagnostics.js'
import {ANSI, stripAnsi} from './ansi.js'

const file = 'plans/runbook.yaml'
const source = [
  'apiVersion: etcdplan/v1',
  'source:',
  '  members:',
  '    - name: etcd1',
  '      peerUrl: http://10.0.1.1:2380',
  '\t- name: etcd2',
  '',
].join('\n')

function diagnostic(o: Partial<Diagnostic> = {}): Diagnostic {
  return {severity: 'error', code: 'unknown-key', message: 'unknown key "peerUrl"', hint: 'did you mean "peerURL"?', file, line: 5, col: 7, path: ['source', 'members', 0, 'peerUrl'], ...o}
}
const warning = diagnostic({severity: 'warning', code: 'even-target', message: 'the target has an even number of members', hint: 'use 3 or 5', line: 2, col: 1, path: ['target']})

describe('renderDiagnostics', () => {
  it('prints FILE:LINE:COL: severity: message, then the hint', () => {
    const text = renderDiagnostics([diagnostic({line: 3, col: 5, message: 'msg', hint: 'do this'})], {colour: false})
    assert.equal(text, `${file}:3:5: error: msg\n  hint: do this\n\n1 error`)
  })

  it('shows the offending line with a caret under the column when the source is given', () => {
    const text = renderDiagnostics([diagnostic()], {colour: false, sources: new Map([[file, source]])})
    const lines = text.split('\n')
    assert.equal(lines[0], `${file}:5:7: error: unknown key "peerUrl"`)
    assert.equal(lines[1], '  5 |       peerUrl: http://10.0.1.1:2380')
    assert.equal(lines[2], '    |       ^')
    assert.equal(lines[2]!.indexOf('^') - lines[2]!.indexOf('|'), lines[1]!.indexOf('peerUrl') - lines[1]!.indexOf('|'))
    assert.equal(lines[3], '  hint: did you mean "peerURL"?')
  })

  it('keeps tabs before the caret so it lines up in any terminal', () => {
    const text = renderDiagnostics([diagnostic({line: 6, col: 3, hint: undefined})], {colour: false, sources: new Map([[file, source]])})
    assert.equal(text.split('\n')[2], '    | \t ^')
  })

  it('leaves out the frame when the position is outside the source', () => {
    const text = renderDiagnostics([diagnostic({line: 99}), diagnostic({line: 0, col: 0})], {colour: false, sources: new Map([[file, source]])})
    assert.doesNotMatch(text, /\|/)
  })

  it('lists diagnostics in source order and ends with the count', () => {
    const text = renderDiagnostics([diagnostic(), warning, diagnostic({line: 4, col: 7, message: 'second'})], {colour: false})
    const heads = text.split('\n').filter((l) => l.startsWith(file))
    assert.deepEqual(heads, [
      `${file}:2:1: warning: the target has an even number of members`,
      `${file}:4:7: error: second`,
      `${file}:5:7: error: unknown key "peerUrl"`,
    ])
    assert.equal(text.split('\n').at(-1), '2 errors, 1 warning')
  })

  it('says the subject is valid when there are only warnings, or nothing at all', () => {
    assert.equal(renderDiagnostics([], {colour: false}), 'spec is valid')
    assert.equal(renderDiagnostics([], {colour: false, subject: file}), `${file} is valid`)
    assert.equal(renderDiagnostics([warning], {colour: false, subject: file}).split('\n').at(-1), `${file} is valid (1 warning)`)
    assert.equal(renderDiagnostics([warning, warning], {colour: false}).split('\n').at(-1), 'spec is valid (2 warnings)')
  })

  it('colours only when asked, with the same text underneath', () => {
    const options = {sources: new Map([[file, source]])}
    const plain = renderDiagnostics([diagnostic(), warning], {...options, colour: false})
    const coloured = renderDiagnostics([diagnostic(), warning], {...options, colour: true})
    assert.doesNotMatch(plain, ANSI)
    assert.match(coloured, ANSI)
    assert.equal(stripAnsi(coloured), plain)
  })
})

describe('diagnosticsToJson', () => {
  it('counts errors and warnings and says whether the spec is valid', () => {
    const json = diagnosticsToJson([diagnostic(), warning])
    assert.equal(json.valid, false)
    assert.equal(json.errors, 1)
    assert.equal(json.warnings, 1)
    assert.deepEqual(
      json.diagnostics.map((d) => [d.severity, d.line, d.col, d.code]),
      [['warning', 2, 1, 'even-target'], ['error', 5, 7, 'unknown-key']],
    )
    assert.deepEqual(JSON.parse(JSON.stringify(json)).diagnostics[1], {...diagnostic(), path: ['source', 'members', 0, 'peerUrl']})
  })

  it('is valid with warnings only', () => {
    assert.deepEqual(diagnosticsToJson([warning]).valid, true)
    assert.deepEqual(diagnosticsToJson([]), {valid: true, errors: 0, warnings: 0, diagnostics: []})
  })
})
