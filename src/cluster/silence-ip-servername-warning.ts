// Connecting over TLS to an IP address makes Node print `DEP0123` (TLS ServerName set to an IP) on
// stderr for every connection, through grpc-js; etcdplan's output must stay clean (etcd-facts.md).
// Only that one warning is dropped; every other warning still reaches the default handler.
let installed = false

export function silenceIpServerNameWarning(): void {
  if (installed) return
  installed = true
  const emitWarning = process.emitWarning.bind(process) as (...args: unknown[]) => void
  process.emitWarning = ((warning: unknown, ...rest: unknown[]) => {
    const code = typeof rest[0] === 'object' && rest[0] !== null ? (rest[0] as {code?: string}).code : rest[1]
    if (code === 'DEP0123') return
    emitWarning(warning, ...rest)
  }) as typeof process.emitWarning
}
