// `etcdplan init`: read a running cluster and write the spec that describes it. Everything that can
// be refused without the cluster is refused first (flags, the output file), then the cluster is read,
// and only then is the file written, in one atomic step: a failure anywhere leaves no file behind.
import {ClusterUnreachableError} from '../cluster/observe-cluster.js'
import type {NodeProviderName} from '../spec/types.js'
import {UserError} from '../user-error.js'
import {defaultProvider} from './default-provider.js'
import {explainInitUnreachable} from './explain-init-unreachable.js'
import {checkMigrationName, migrationName} from './migration-name.js'
import {checkOutputFile, writeSpecFile} from './output-file.js'
import {readLiveSource, type FoundCluster} from './read-live-source.js'
import {listableMembers, renderInitSpec} from './render-init-spec.js'
import {schemaLine} from './schema-line.js'
import {clientTls, type TlsFlags} from './tls-flags.js'

export interface InitOptions extends TlsFlags {
  readonly endpoints: readonly string[]
  readonly output: string
  readonly force: boolean
  readonly name?: string
  readonly provider?: NodeProviderName
}

/** What init found and wrote; `--json` prints it. */
export interface InitSummary {
  readonly file: string
  readonly name: string
  readonly provider: NodeProviderName
  readonly clusterId: string
  readonly clusterIdHex: string
  readonly clusterVersion: string | null
  readonly members: readonly {
    readonly name: string
    readonly id: string
    readonly peerURLs: readonly string[]
    readonly clientURLs: readonly string[]
    readonly version: string | null
    readonly leader: boolean
    readonly learner: boolean
    readonly started: boolean
    /** Whether it is in source.members (an unstarted member has no name and is only noted). */
    readonly listed: boolean
  }[]
}

export async function initSpec(options: InitOptions): Promise<InitSummary> {
  const endpoints = endpointList(options.endpoints)
  const tls = clientTls(options, endpoints)
  checkMigrationName(options.name)
  checkOutputFile(options.output, options.force)
  let cluster: FoundCluster
  try {
    cluster = await readLiveSource(endpoints, tls)
  } catch (error) {
    if (error instanceof ClusterUnreachableError) throw explainInitUnreachable(error, tls)
    throw error
  }
  const name = migrationName(options.name, options.output, cluster.clusterIdHex)
  const listed = listableMembers(cluster)
  const provider = options.provider ?? defaultProvider(listed.flatMap((m) => m.peerURLs.slice(0, 1)))
  const text = renderInitSpec({cluster, name, provider, ...(tls === undefined ? {} : {tls}), schemaLine: schemaLine(options.output), file: options.output})
  await writeSpecFile(options.output, text)
  return {
    file: options.output,
    name,
    provider,
    clusterId: cluster.clusterId,
    clusterIdHex: cluster.clusterIdHex,
    clusterVersion: cluster.clusterVersion,
    members: cluster.members.map((m) => ({
      name: m.name,
      id: m.hexId,
      peerURLs: m.peerURLs,
      clientURLs: m.clientURLs,
      version: m.version,
      leader: m.isLeader,
      learner: m.isLearner,
      started: m.started,
      listed: listed.includes(m),
    })),
  }
}

/** --endpoints as a list: comma-separated, each a URL with http or https. */
function endpointList(given: readonly string[]): string[] {
  const list = given.flatMap((e) => e.split(',')).map((e) => e.trim()).filter((e) => e !== '')
  if (list.length === 0) throw new UserError('--endpoints names no URL; nothing was written', 'give the client URLs of one or more members, e.g. --endpoints http://10.0.1.1:2379,http://10.0.1.2:2379', 1, 'invalid-flag')
  for (const e of list) {
    if (!/^https?:\/\/[^/\s]+$/.test(e.replace(/\/$/, ''))) {
      throw new UserError(`--endpoints: ${JSON.stringify(e)} is not a client URL; nothing was written`, 'write each as http://HOST:PORT or https://HOST:PORT (as etcdctl --endpoints takes them), separated by commas', 1, 'invalid-flag')
    }
  }
  return [...new Set(list.map((e) => e.replace(/\/$/, '')))]
}
