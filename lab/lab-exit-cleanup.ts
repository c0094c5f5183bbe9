// Best-effort cleanup for a test process that ends without closing its labs: a thrown error in a
// `before`, process.exit(), or SIGINT/SIGTERM/SIGHUP. Node runs no promise at exit, so each cleanup
// is synchronous (it kills by pid and deletes with `ip` through execFileSync). A SIGKILLed process
// runs nothing: the next lab that claims the slot sweeps it (lab-slot.ts).
const cleanups = new Set<() => void>()
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const
let installed = false

/** Registers cleanup to run once at process exit or on a terminating signal; returns its unregistration. */
export function onProcessExit(cleanup: () => void): () => void {
  install()
  cleanups.add(cleanup)
  return () => {
    cleanups.delete(cleanup)
  }
}

function runAll(): void {
  for (const cleanup of [...cleanups]) {
    cleanups.delete(cleanup)
    try {
      cleanup()
    } catch {
      // best effort: the next lab's sweep catches what is left
    }
  }
}

function install(): void {
  if (installed) return
  installed = true
  process.on('exit', runAll)
  for (const signal of SIGNALS) {
    const onSignal = () => {
      runAll()
      // With no other listener Node would have died of the signal: make it so, now that the lab is gone.
      if (process.listenerCount(signal) === 1) {
        process.removeListener(signal, onSignal)
        process.kill(process.pid, signal)
      }
    }
    process.on(signal, onSignal)
  }
}
