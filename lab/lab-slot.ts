// Which of the 16 lab slots (lab-network.ts) this process owns, so that two labs (two test files run
// at once) never share names or addresses, and what a dead owner left behind gets swept.
//
// Ownership is an abstract unix socket, `@etcdplan-lab-slot-<k>`, bound by the owner: binding is
// atomic and exclusive, and the kernel releases it the moment the owner dies, SIGKILL included. So
// whoever binds it knows for certain that no live lab uses slot k, and may remove anything named for
// k (ep<k>-*, epbr<k>) before using it. A pid file alone could not give that: between reading a dead
// owner's pid and taking the slot over, a second sweeper could take it too and then delete the
// namespaces the first had just created. For people looking at the machine, the owner also writes
// /run/etcdplan-lab/slot-<k>/owner.json (pid, start time, dir), removed when the slot is released.
import {createServer, type Server} from 'node:net'
import {mkdirSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {processStartTime} from './lab-process.js'
import {networkNamesSync, removeNetworkSync, slotLeftovers, SLOT_COUNT, type NetworkNames} from './lab-network.js'

export const SLOTS_DIR = '/run/etcdplan-lab'

export interface ClaimedSlot {
  readonly slot: number
  /** /run/etcdplan-lab/slot-<k>, holding owner.json. */
  readonly path: string
  /** Removes the owner file and unbinds the socket (synchronous: also used at process exit). */
  release(): void
}

/**
 * Sweeps every slot whose owner is gone and which left namespaces or links behind, then claims the
 * lowest free slot. Throws when all 16 are in use.
 */
export async function claimSlot(owner: {dir: string}): Promise<ClaimedSlot> {
  mkdirSync(SLOTS_DIR, {recursive: true, mode: 0o755})
  let claimed: ClaimedSlot | null = null
  // Listed once, not per slot: a slot's names only appear once its socket is bound, so what a slot
  // we bind has in this list was left by a dead lab (and a live lab's names are never touched).
  const now = networkNamesSync()
  for (let slot = 0; slot < SLOT_COUNT; slot++) {
    const server = await bindSlotSocket(slot)
    if (server === null) continue
    // Ours now: what still exists of slot k belongs to a lab whose process died.
    sweepSlotSync(slot, now)
    if (claimed !== null) {
      server.close()
      continue
    }
    claimed = ownSlot(slot, server, owner.dir)
  }
  if (claimed === null) throw new Error(`all ${SLOT_COUNT} lab slots are in use (see ${SLOTS_DIR}/slot-*/owner.json)`)
  return claimed
}

/** Slot k's namespaces (their processes killed), links and owner file removed; call only while holding its socket. */
export function sweepSlotSync(slot: number, now?: NetworkNames): string[] {
  const {namespaces, links} = slotLeftovers(slot, now)
  const remaining = namespaces.length + links.length === 0 ? [] : removeNetworkSync(namespaces, links)
  rmSync(join(SLOTS_DIR, `slot-${slot}`), {recursive: true, force: true})
  return remaining
}

function ownSlot(slot: number, server: Server, dir: string): ClaimedSlot {
  const path = join(SLOTS_DIR, `slot-${slot}`)
  mkdirSync(path, {recursive: true})
  writeFileSync(join(path, 'owner.json'), JSON.stringify({pid: process.pid, startTime: processStartTime(process.pid), dir}) + '\n')
  let released = false
  return {
    slot,
    path,
    release() {
      if (released) return
      released = true
      rmSync(path, {recursive: true, force: true})
      server.close()
    },
  }
}

/** The slot's socket bound by this process, or null when another live process holds it. */
function bindSlotSocket(slot: number): Promise<Server | null> {
  return new Promise((resolve, reject) => {
    const server = createServer((connection) => connection.destroy())
    server.once('error', (error: NodeJS.ErrnoException) => (error.code === 'EADDRINUSE' ? resolve(null) : reject(error)))
    // A leading NUL puts the name in Linux's abstract namespace: no file, gone with the process.
    server.listen(`\0etcdplan-lab-slot-${slot}`, () => {
      // Holding a slot must not keep a test process alive.
      server.unref()
      resolve(server)
    })
  })
}
