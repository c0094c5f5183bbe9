import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {styles} from '../../src/render/colour.js'
import {shouldUseColour} from '../../src/render/should-use-colour.js'
import {ANSI} from './ansi.js'

describe('shouldUseColour', () => {
  const tty = {isTTY: true, env: {}, noColorFlag: false}

  it('colours a terminal and nothing else by default', () => {
    assert.equal(shouldUseColour(tty), true)
    assert.equal(shouldUseColour({...tty, isTTY: false}), false)
  })

  it('never colours with --no-color, even when forced', () => {
    assert.equal(shouldUseColour({...tty, noColorFlag: true}), false)
    assert.equal(shouldUseColour({...tty, noColorFlag: true, env: {FORCE_COLOR: '1'}}), false)
  })

  it('never colours when NO_COLOR is set to anything non-empty, and ignores an empty NO_COLOR', () => {
    assert.equal(shouldUseColour({...tty, env: {NO_COLOR: '1'}}), false)
    assert.equal(shouldUseColour({...tty, env: {NO_COLOR: 'false'}}), false)
    assert.equal(shouldUseColour({...tty, env: {NO_COLOR: '1', FORCE_COLOR: '1'}}), false)
    assert.equal(shouldUseColour({...tty, env: {NO_COLOR: ''}}), true)
  })

  it('lets FORCE_COLOR force colour on off a terminal, and 0/false force it off', () => {
    assert.equal(shouldUseColour({isTTY: false, env: {FORCE_COLOR: '1'}, noColorFlag: false}), true)
    assert.equal(shouldUseColour({...tty, env: {FORCE_COLOR: '0'}}), false)
    assert.equal(shouldUseColour({...tty, env: {FORCE_COLOR: 'false'}}), false)
    assert.equal(shouldUseColour({isTTY: false, env: {FORCE_COLOR: ''}, noColorFlag: false}), false)
  })

  it('does not colour a dumb terminal unless forced', () => {
    assert.equal(shouldUseColour({...tty, env: {TERM: 'dumb'}}), false)
    assert.equal(shouldUseColour({...tty, env: {TERM: 'dumb', FORCE_COLOR: '1'}}), true)
  })
})

describe('styles', () => {
  it('leaves text untouched without colour, whatever the environment says', () => {
    const s = styles(false)
    for (const style of Object.values(s)) assert.equal(style('text'), 'text')
  })

  it('wraps text in ANSI codes with colour', () => {
    const s = styles(true)
    for (const style of Object.values(s)) assert.match(style('text'), ANSI)
    assert.equal(s.added('x'), '\u001b[32mx\u001b[39m')
  })
})
