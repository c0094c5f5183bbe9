// What the operator is asked to do when the DNS switch is theirs (via: manual): the name, the records
// to leave it with, and the client URLs behind them. How to tell etcdplan it is done (`apply PLAN
// --confirm switch-dns`) is added where the plan's path is known, by the apply command's view.
import {isIP} from 'node:net'

export function manualInstructions(name: string, clientURLs: readonly string[], addresses: readonly string[]): string {
  const width = Math.max(...addresses.map((address) => recordType(address).length))
  return [
    `Point the DNS name ${name} at the target members and nothing else:`,
    ...addresses.map((address) => `  ${name}  ${recordType(address).padEnd(width)}  ${address}`),
    '  (remove every other A/AAAA record of the name, i.e. those of the members being removed)',
    'Clients will then reach the cluster at:',
    ...clientURLs.map((url) => `  ${url}`),
    "Wait until the change is visible to clients (the old records' TTL).",
  ].join('\n')
}

/** The record that carries an address; a host name cannot be an A record, so say what to do with it. */
function recordType(address: string): string {
  switch (isIP(address)) {
    case 4:
      return 'A'
    case 6:
      return 'AAAA'
    default:
      return 'A/AAAA (the addresses of)'
  }
}
