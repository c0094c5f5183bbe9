// The clients etcdplan holds while it talks to a cluster: one per client URL, made on first use
// (etcd-facts.md: each call of a multi-host etcd3 client goes to a random host, but Status, MoveLeader
// and snapshots must reach one particular member).
import type {Etcd3} from 'etcd3'
import {connectEndpoint, type EndpointOptions} from './etcd-endpoint.js'

export class EtcdEndpoints {
  private readonly clients = new Map<string, Etcd3>()

  constructor(private readonly options: EndpointOptions) {}

  get(clientURL: string): Etcd3 {
    let client = this.clients.get(clientURL)
    if (client === undefined) {
      client = connectEndpoint(clientURL, this.options)
      this.clients.set(clientURL, client)
    }
    return client
  }

  /** Closes every client; grpc keeps the process alive until this is called. */
  close(): void {
    for (const client of this.clients.values()) client.close()
    this.clients.clear()
  }
}
