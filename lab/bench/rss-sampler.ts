// The peak resident memory of a running process (etcdplan's node process), read from Linux's
// /proc/PID/status: VmHWM is the kernel's own high-water mark of VmRSS, so a reading every 50 ms
// misses no peak between readings; the last reading before the process exits is its peak (the file
// is gone once it has exited and been reaped).

export const RSS_SAMPLE_MS = 50

export interface RssSampler {
  /** Stops sampling; the last VmHWM read, in bytes (null when none could be read). */
  stop(): number | null
}

/** VmHWM of /proc/PID/status text, in bytes; null when the line is missing. */
export function vmHwmBytes(status: string): number | null {
  const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status)
  return match === null ? null : Number(match[1]) * 1024
}

export function sampleRss(pid: number, readStatus: (path: string) => string): RssSampler {
  let peak: number | null = null
  const read = (): void => {
    try {
      peak = vmHwmBytes(readStatus(`/proc/${pid}/status`)) ?? peak
    } catch {
      // exited: the last reading stands
    }
  }
  read()
  const timer = setInterval(read, RSS_SAMPLE_MS)
  return {
    stop() {
      clearInterval(timer)
      return peak
    },
  }
}
