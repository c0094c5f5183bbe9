// A killed apply leaves its ControlMaster dir behind (its masters end by themselves and remove their
// sockets): the next apply removes such dirs when they are empty and old, and nothing else.
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {existsSync} from 'node:fs'
import {mkdir, mkdtemp, rm, utimes, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {sweepAbandonedControlDirs} from '../../../src/nodes/ssh/ssh-transport.js'

test('old empty control dirs are removed; fresh ones, ones with a socket and other dirs are kept', async () => {
  const parent = await mkdtemp(join(tmpdir(), 'etcdplan-sweep-'))
  try {
    const old = new Date(Date.now() - 10 * 60_000)
    const abandoned = join(parent, 'etcdplan-ssh-abandoned')
    const fresh = join(parent, 'etcdplan-ssh-fresh')
    const live = join(parent, 'etcdplan-ssh-live')
    const foreign = join(parent, 'someone-else')
    for (const dir of [abandoned, fresh, live, foreign]) await mkdir(dir)
    await writeFile(join(live, 'socket-stand-in'), '')
    for (const dir of [abandoned, live, foreign]) await utimes(dir, old, old)
    sweepAbandonedControlDirs(parent)
    assert.deepEqual([abandoned, fresh, live, foreign].map((d) => existsSync(d)), [false, true, true, true])
  } finally {
    await rm(parent, {recursive: true, force: true})
  }
})
