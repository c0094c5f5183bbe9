// Loopback addresses for the etcd members of one test, demo or benchmark run. Every member gets its
// own address with etcd's usual ports (2379 client, 2380 peer), as it would on its own machine, so
// specs look like real ones and runs never collide on ports. Linux routes all of 127.0.0.0/8 to lo;
// a random 127.A.B.0/24 (A in 100..250) keeps parallel runs, and the fixed 127.0.x.y addresses of
// plans/*.yaml and the unit tests, apart. 127.0.0.1 is never used.
import {createServer} from 'node:net'

export const CLIENT_PORT = 2379
export const PEER_PORT = 2380

const ATTEMPTS = 50

/**
 * `count` hosts 127.A.B.1..127.A.B.count on one random /24 whose ports 2379 and 2380 can all be
 * bound right now. Throws after 50 subnets where some address was taken.
 */
export async function pickLoopbackHosts(count: number): Promise<string[]> {
  if (!Number.isInteger(count) || count < 1 || count > 254) throw new RangeError(`pickLoopbackHosts: count must be 1..254, not ${count}`)
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const a = 100 + Math.floor(Math.random() * 151)
    const b = Math.floor(Math.random() * 256)
    const hosts = Array.from({length: count}, (_, i) => `127.${a}.${b}.${i + 1}`)
    const free = await Promise.all(hosts.map((host) => portsFree(host)))
    if (free.every(Boolean)) return hosts
  }
  throw new Error(`pickLoopbackHosts: no free 127.A.B.0/24 for ${count} hosts in ${ATTEMPTS} attempts`)
}

/** Whether both etcd ports can be bound on this address. */
export async function portsFree(host: string): Promise<boolean> {
  return (await canBind(host, CLIENT_PORT)) && (await canBind(host, PEER_PORT))
}

function canBind(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen({host, port, exclusive: true}, () => server.close(() => resolve(true)))
  })
}
