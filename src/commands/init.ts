// `etcdplan init`: the first command a new user runs. Reads the running cluster through the given
// endpoints and writes a commented spec whose `source` is that cluster. Thin: the work is
// src/init/init-spec.ts; this parses flags and prints.
import {Flags} from '@oclif/core'
import {EtcdplanCommand} from '../cli/base-command.js'

export default class Init extends EtcdplanCommand {
  static override summary = 'Write a migration spec from a running cluster: its members as source, a target to fill in.'
  static override description = `Reads the running cluster at --endpoints (the member list, each member's own Status asked at its own client URL, the cluster ID) and writes a commented spec (default etcdplan.yaml):
  - the JSON Schema line for editors on the first line (yaml-language-server);
  - source.members: every member as the cluster lists it (name, its first peer URL and client URL, and host when the provider acts on other hosts), with its ID, etcd version and leader in a comment; more URLs, learners and members added but never started (they have no name yet) are explained in comments;
  - target.members: commented entries to edit: the source members (remove the "# " to keep one) and new members with <placeholders> to fill in;
  - nodes: the provider (--provider; default ssh when a member is not on a loopback address, else local) with its documented defaults;
  - cluster.tls from --cacert, --cert, --key (written as absolute paths: relative paths in a spec are read from the directory etcdplan runs in), and cluster.memberTLS / cluster.peerTLS with the documented default paths when the members use https (check them: init cannot see the hosts' files).

Once target.members is filled in, the file validates as written (etcdplan validate). init never overwrites a file without --force. When the cluster cannot be read (no endpoint answers, a TLS handshake fails, no quorum) it exits 1 and writes nothing. --json prints what was found and written: {file, name, provider, clusterId, clusterIdHex, clusterVersion, members: [{name, id, peerURLs, clientURLs, version, leader, learner, started, listed}]}.`
  static override examples = [
    {description: 'Describe the cluster at two of its members in etcdplan.yaml.', command: '<%= config.bin %> init --endpoints http://10.0.1.1:2379,http://10.0.1.2:2379'},
    {description: 'A TLS cluster with client-cert-auth, into its own file.', command: '<%= config.bin %> init --endpoints https://10.0.1.1:2379 --cacert certs/ca.pem --cert certs/etcdplan.pem --key certs/etcdplan-key.pem -o move-to-rack-b.yaml'},
    {description: 'Members run as systemd units managed by your own scripts.', command: '<%= config.bin %> init --endpoints http://10.0.1.1:2379 --provider exec --name move-to-rack-b'},
    {description: 'Read the cluster again, replacing the spec written before.', command: '<%= config.bin %> init --endpoints http://10.0.1.1:2379 --force'},
    {description: 'The members found, for a script.', command: `<%= config.bin %> init --endpoints http://10.0.1.1:2379 -o /tmp/spec.yaml --json | jq -r '.members[] | "\\(.name) \\(.version)"'`},
  ]
  static override flags = {
    endpoints: Flags.string({description: 'Client URLs of one or more members, comma-separated (as etcdctl --endpoints). The other members are found in the member list.', required: true, multiple: true, helpValue: 'URL[,URL...]'}),
    output: Flags.string({char: 'o', description: 'The spec file to write. Its directory must exist.', default: 'etcdplan.yaml', helpValue: 'FILE'}),
    force: Flags.boolean({description: 'Replace the output file when it exists (without it, init refuses and leaves the file untouched).', default: false}),
    name: Flags.string({description: 'The migration name ([a-z0-9-]+; names the plan, the state and the lock). Default: from the output file name (move-to-rack-b.yaml → move-to-rack-b), or etcd-<cluster ID> for etcdplan.yaml.', helpValue: 'NAME'}),
    provider: Flags.string({description: 'How etcdplan will act on the members\' hosts. Default: ssh when a member\'s peer URL is not a loopback address, else local.', options: ['local', 'ssh', 'exec', 'manual']}),
    cacert: Flags.string({description: 'CA file that signed the members\' server certificates (https endpoints). Written to cluster.tls.ca.', helpValue: 'FILE'}),
    cert: Flags.string({description: 'Client certificate etcdplan presents (members with client-cert-auth); with --key. Written to cluster.tls.cert.', helpValue: 'FILE'}),
    key: Flags.string({description: 'Key of the client certificate; with --cert. Written to cluster.tls.key.', helpValue: 'FILE'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Init)
    const {initSpec} = await import('../init/init-spec.js')
    const summary = await initSpec({
      endpoints: flags.endpoints,
      output: flags.output,
      force: flags.force,
      ...(flags.name === undefined ? {} : {name: flags.name}),
      ...(flags.provider === undefined ? {} : {provider: flags.provider as 'local' | 'ssh' | 'exec' | 'manual'}),
      ...(flags.cacert === undefined ? {} : {cacert: flags.cacert}),
      ...(flags.cert === undefined ? {} : {cert: flags.cert}),
      ...(flags.key === undefined ? {} : {key: flags.key}),
    })
    if (flags.json) {
      this.print(JSON.stringify(summary, null, 2))
      return
    }
    const {renderInitSummary} = await import('../init/render-init-summary.js')
    this.print(renderInitSummary(summary))
  }
}
