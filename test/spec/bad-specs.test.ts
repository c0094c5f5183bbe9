// Bad input, one problem per case: the diagnostic code, what the message says and where it points.
// `at` is LINE:COL, where COL is a number or the text the diagnostic must point at on that line
// (its first occurrence), which keeps the cases readable without counting columns.
import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {parseSpec} from '../../src/spec/load-spec.js'
import {specWith} from './spec-text.js'

interface BadCase {
  readonly name: string
  readonly yaml: string
  readonly code: string
  readonly message: string
  readonly at: string
  /** Substring of the hint, when the hint is the point (did you mean, what to do). */
  readonly hint?: string
  readonly severity?: 'error' | 'warning'
}

const m = (name: string, peer: string, client: string): string => `    - {name: ${name}, peerURL: ${peer}, clientURL: ${client}}`

const cases: readonly BadCase[] = [
  // --- YAML itself ---------------------------------------------------------------------------
  {name: 'tab indentation', yaml: specWith({5: '\tmembers:'}), code: 'yaml-syntax', message: 'tabs are not allowed', at: '5:1', hint: 'spaces'},
  {name: 'unclosed flow mapping', yaml: specWith({11: '    - {name: etcd4, peerURL: http://10.0.2.1:2380'}), code: 'yaml-syntax', message: 'YAML syntax', at: '12:5'},
  {name: 'unclosed quote', yaml: specWith({3: 'name: "test'}), code: 'yaml-syntax', message: 'missing closing "quote', at: '14:1', hint: 'close the quote'},
  {name: 'nested mapping on one line', yaml: specWith({3: 'name: test: again'}), code: 'yaml-syntax', message: 'nested mappings are not allowed', at: '3:7'},
  {name: 'duplicate key', yaml: specWith({3: 'name: test\nname: again'}), code: 'duplicate-key', message: 'duplicate key "name"', at: '4:1', hint: 'line 3'},
  {name: 'two documents', yaml: specWith({}, '---\nname: other\n'), code: 'yaml-syntax', message: 'multiple documents', at: '14:1', hint: 'one document'},
  {name: 'empty file', yaml: '', code: 'empty-spec', message: 'the spec is empty', at: '1:1', hint: 'apiVersion: etcdplan/v1'},
  {name: 'comments only', yaml: '# nothing yet\n', code: 'empty-spec', message: 'the spec is empty', at: '1:1'},
  {name: 'a list at the top', yaml: '- name: etcd1\n', code: 'not-a-mapping', message: 'not a list', at: '1:1'},
  {name: 'a scalar at the top', yaml: 'etcdplan\n', code: 'not-a-mapping', message: 'must be a mapping', at: '1:1'},
  {name: 'alias to nothing', yaml: specWith({13: '    - *etcd6'}), code: 'yaml-syntax', message: 'alias *etcd6 refers to no anchor', at: '13:7'},
  {name: 'alias inside its own anchor', yaml: specWith({}, 'join: &j\n  x: *j\n'), code: 'yaml-syntax', message: 'inside its own anchor', at: '15:6'},

  // --- Schema: required keys, constants, names ------------------------------------------------
  {name: 'missing apiVersion', yaml: specWith({1: '# no apiVersion'}), code: 'missing-key', message: 'the spec is missing "apiVersion"', at: '2:1', hint: 'add apiVersion: etcdplan/v1'},
  {name: 'wrong apiVersion', yaml: specWith({1: 'apiVersion: etcdplan/v2'}), code: 'invalid-value', message: '"apiVersion" must be "etcdplan/v1", not "etcdplan/v2"', at: '1:13'},
  {name: 'wrong kind', yaml: specWith({2: 'kind: Plan'}), code: 'invalid-value', message: '"kind" must be "Migration"', at: '2:7'},
  {name: 'name with capitals and underscore', yaml: specWith({3: 'name: Move_To_B'}), code: 'invalid-name', message: 'lowercase letters, digits and "-"', at: '3:7', hint: 'name: move-to-b'},
  {name: 'name that is a number', yaml: specWith({3: 'name: 2024'}), code: 'wrong-type', message: '"name" must be a string, not 2024', at: '3:7', hint: 'name: "2024"'},
  {name: 'member name with a space', yaml: specWith({11: m('"etcd 4"', 'http://10.0.2.1:2380', 'http://10.0.2.1:2379')}), code: 'invalid-name', message: 'member name "etcd 4"', at: '11:14'},
  {name: 'member without clientURL', yaml: specWith({11: '    - {name: etcd4, peerURL: http://10.0.2.1:2380}'}), code: 'missing-key', message: 'target.members[0] is missing "clientURL"', at: '11:7', hint: 'advertised client URL'},
  {name: 'dns without name', yaml: specWith({}, 'dns:\n  switch: {via: manual}\n'), code: 'missing-key', message: 'dns is missing "name"', at: '15:3'},

  // --- Schema: unknown and misspelt keys ------------------------------------------------------
  {name: 'misspelt top-level key', yaml: specWith({}, 'stratgy: join\n'), code: 'unknown-key', message: 'unknown key "stratgy" at the top level', at: '14:1', hint: 'did you mean "strategy"?'},
  {name: 'peerUrl for peerURL', yaml: specWith({6: m('etcd1', 'http://10.0.1.1:2380', 'http://10.0.1.1:2379').replace('peerURL', 'peerUrl')}), code: 'unknown-key', message: 'unknown key "peerUrl" in source.members[0]', at: '6:21', hint: 'did you mean "peerURL"?'},
  {name: 'client_url for clientURL', yaml: specWith({12: m('etcd5', 'http://10.0.2.2:2380', 'http://10.0.2.2:2379').replace('clientURL', 'client_url')}), code: 'unknown-key', message: 'unknown key "client_url" in target.members[1]', at: '12:client_url', hint: 'did you mean "clientURL"?'},
  {name: 'lerner for learner', yaml: specWith({}, 'join:\n  lerner: false\n'), code: 'unknown-key', message: 'unknown key "lerner" in join', at: '15:3', hint: 'did you mean "learner"?'},
  {name: 'transposed letters', yaml: specWith({}, 'timeouts:\n  heatlh: 30s\n'), code: 'unknown-key', message: 'unknown key "heatlh" in timeouts', at: '15:3', hint: 'did you mean "health"?'},
  {name: 'key in the wrong section', yaml: specWith({}, 'learner: false\n'), code: 'unknown-key', message: 'unknown key "learner" at the top level', at: '14:1', hint: '"learner" belongs in join'},
  {name: 'unknown key with no close match', yaml: specWith({}, 'cluster:\n  replicas: 3\n'), code: 'unknown-key', message: 'unknown key "replicas" in cluster', at: '15:3', hint: 'allowed keys here: token, tls, memberTLS, peerTLS, distribute'},

  // --- Schema: types and enums ----------------------------------------------------------------
  {name: 'learner: yes', yaml: specWith({}, 'join:\n  learner: yes\n'), code: 'wrong-type', message: '"learner" must be true or false, not "yes"', at: '15:12', hint: 'learner: true or learner: false'},
  {name: 'learner left empty', yaml: specWith({}, 'join:\n  learner:\n'), code: 'wrong-type', message: '"learner" must be true or false, not empty', at: '15:3'},
  {name: 'rollingRestart as a string', yaml: specWith({}, 'join:\n  rollingRestart: "false"\n'), code: 'wrong-type', message: '"rollingRestart" must be true or false', at: '15:19'},
  {name: 'strategy not known', yaml: specWith({}, 'strategy: rolling\n'), code: 'invalid-value', message: '"strategy" must be one of join or snapshot, not "rolling"', at: '14:11', hint: 'use one of: join, snapshot'},
  {name: 'order misspelt', yaml: specWith({}, 'join:\n  order: addfirst\n'), code: 'invalid-value', message: '"order" must be one of add-first or one-for-one', at: '15:10', hint: 'did you mean "add-first"?'},
  {name: 'finalState not known', yaml: specWith({}, 'join:\n  finalState: old\n'), code: 'invalid-value', message: '"finalState" must be one of existing or new', at: '15:15'},
  {name: 'provider not known', yaml: specWith({}, 'nodes:\n  provider: kubernetes\n'), code: 'invalid-value', message: '"provider" must be one of local, ssh, exec or manual', at: '15:13'},
  {name: 'catchUpTolerance as a string', yaml: specWith({}, 'join:\n  catchUpTolerance: "100"\n'), code: 'wrong-type', message: '"catchUpTolerance" must be a whole number (0 or more), not "100"', at: '15:21'},
  {name: 'catchUpTolerance fractional', yaml: specWith({}, 'join:\n  catchUpTolerance: 1.5\n'), code: 'wrong-type', message: 'must be a whole number', at: '15:21'},
  {name: 'catchUpTolerance negative', yaml: specWith({}, 'join:\n  catchUpTolerance: -1\n'), code: 'invalid-value', message: '"catchUpTolerance" must be 0 or more, not -1', at: '15:21'},
  {name: 'members is not a list', yaml: specWith({10: '  members: etcd4', 11: '', 12: '', 13: ''}), code: 'wrong-type', message: '"members" must be a list, not "etcd4"', at: '10:12', hint: '"- "'},
  {name: 'a member that is a string', yaml: specWith({12: '    - etcd5'}), code: 'wrong-type', message: 'target.members[1] must be a mapping with name, peerURL and clientURL, not "etcd5"', at: '12:7'},
  {name: 'cluster left empty', yaml: specWith({}, 'cluster:\n'), code: 'wrong-type', message: '"cluster" must be a mapping, not empty', at: '14:1'},
  {name: 'dns.switch.command not a list', yaml: specWith({}, 'dns:\n  name: etcd.internal\n  switch: {via: exec, command: ./switch.sh}\n'), code: 'wrong-type', message: '"command" must be a list', at: '16:32'},

  // --- Member lists ---------------------------------------------------------------------------
  {name: 'empty source', yaml: specWith({5: '  members: []', 6: '', 7: '', 8: ''}), code: 'empty-source', message: 'source.members is empty', at: '5:12'},
  {name: 'empty target', yaml: specWith({10: '  members: []', 11: '', 12: '', 13: ''}), code: 'empty-target', message: 'target.members is empty', at: '10:12', hint: '3 or 5'},
  {name: 'duplicate name in target', yaml: specWith({12: m('etcd4', 'http://10.0.2.2:2380', 'http://10.0.2.2:2379')}), code: 'duplicate-name', message: 'member name "etcd4" is used twice in target.members', at: '12:14', hint: 'line 11'},
  {name: 'duplicate name in source', yaml: specWith({8: m('etcd1', 'http://10.0.1.3:2380', 'http://10.0.1.3:2379')}), code: 'duplicate-name', message: 'used twice in source.members', at: '8:14'},
  {name: 'kept member with another peerURL', yaml: specWith({11: m('etcd1', 'http://10.0.2.1:2380', 'http://10.0.1.1:2379')}), code: 'kept-member-url-changed', message: 'kept member "etcd1" has peerURL http://10.0.2.1:2380 in target but http://10.0.1.1:2380 in source', at: '11:30', hint: 'member update'},
  {name: 'kept member with another clientURL', yaml: specWith({11: m('etcd1', 'http://10.0.1.1:2380', 'http://10.0.1.1:12379')}), code: 'kept-member-url-changed', message: 'clientURL', at: '11:63', hint: 'give it a new name'},

  // --- URLs -----------------------------------------------------------------------------------
  {name: 'peer URL of a source member reused by a new member', yaml: specWith({11: m('etcd4', 'http://10.0.1.1:2380', 'http://10.0.2.1:2379')}), code: 'duplicate-peer-url', message: 'peer URL http://10.0.1.1:2380 of "etcd4" is already used by "etcd1" in source.members[0]', at: '11:30'},
  {name: 'client URL used twice in target', yaml: specWith({13: m('etcd6', 'http://10.0.2.3:2380', 'http://10.0.2.2:2379')}), code: 'duplicate-client-url', message: 'client URL http://10.0.2.2:2379 of "etcd6" is already used by "etcd5"', at: '13:63'},
  {name: 'same host and port, other scheme', yaml: specWith({13: m('etcd6', 'https://10.0.2.2:2380', 'http://10.0.2.3:2379')}), code: 'duplicate-peer-url', message: 'same host and port as http://10.0.2.2:2380', at: '13:30'},
  {name: 'peer URL equal to a client URL', yaml: specWith({13: m('etcd6', 'http://10.0.2.2:2379', 'http://10.0.2.3:2379')}), code: 'peer-equals-client', message: 'peerURL http://10.0.2.2:2379 of "etcd6" is the same address as the clientURL of "etcd5"', at: '13:30', hint: '2380'},
  {name: 'advertising 0.0.0.0', yaml: specWith({11: m('etcd4', 'http://10.0.2.1:2380', 'http://0.0.0.0:2379')}), code: 'unspecified-address', message: 'advertises 0.0.0.0', at: '11:63', hint: 'listen-client-urls'},
  {name: 'advertising [::]', yaml: specWith({11: m('etcd4', '"http://[::]:2380"', 'http://10.0.2.1:2379')}), code: 'unspecified-address', message: 'advertises [::]', at: '11:30', hint: 'listen-peer-urls'},
  {name: 'URL without port', yaml: specWith({11: m('etcd4', 'http://10.0.2.1', 'http://10.0.2.1:2379')}), code: 'invalid-url', message: 'peerURL "http://10.0.2.1" of "etcd4" has no port', at: '11:30', hint: 'http://10.0.2.1:2380'},
  {name: 'URL with a path', yaml: specWith({11: m('etcd4', 'http://10.0.2.1:2380/etcd', 'http://10.0.2.1:2379')}), code: 'invalid-url', message: 'has "/etcd" after the port', at: '11:30'},
  {name: 'URL with a query', yaml: specWith({11: m('etcd4', 'http://10.0.2.1:2380', 'http://10.0.2.1:2379?x=1')}), code: 'invalid-url', message: 'has "?x=1" after the port', at: '11:63'},
  {name: 'URL with another scheme', yaml: specWith({11: m('etcd4', 'unix://etcd4:2380', 'http://10.0.2.1:2379')}), code: 'invalid-url', message: 'uses unix://', at: '11:30'},
  {name: 'host:port without scheme', yaml: specWith({11: m('etcd4', '10.0.2.1:2380', 'http://10.0.2.1:2379')}), code: 'invalid-url', message: 'is not a URL', at: '11:30', hint: 'http://HOST:PORT'},
  {name: 'URL that is a number', yaml: specWith({11: m('etcd4', '2380', 'http://10.0.2.1:2379')}), code: 'invalid-url', message: '"peerURL" must be a URL', at: '11:30'},
  {name: 'port out of range', yaml: specWith({11: m('etcd4', 'http://10.0.2.1:70000', 'http://10.0.2.1:2379')}), code: 'invalid-url', message: 'peerURL "http://10.0.2.1:70000"', at: '11:30'},

  // --- TLS ------------------------------------------------------------------------------------
  {name: 'one https client URL without cluster.tls', yaml: specWith({12: m('etcd5', 'http://10.0.2.2:2380', 'https://10.0.2.2:2379')}), code: 'tls-scheme-mismatch', message: 'clientURL https://10.0.2.2:2379 of "etcd5" uses https but cluster.tls is not set', at: '12:63', hint: 'set cluster.tls'},
  {name: 'cluster.tls with http client URLs', yaml: specWith({}, 'cluster:\n  tls: {ca: certs/ca.pem}\n'), code: 'tls-scheme-mismatch', message: 'cluster.tls is set but all 6 client URLs use http', at: '15:8', hint: 'https://'},
  {name: 'one http peer URL with cluster.peerTLS', yaml: specWith({}, 'cluster:\n  peerTLS: {ca: ca.pem}\n').replace(/http:\/\/(10\.0\.\d\.\d):2380/g, 'https://$1:2380').replace('https://10.0.2.3:2380', 'http://10.0.2.3:2380'), code: 'tls-scheme-mismatch', message: 'peerURL http://10.0.2.3:2380 of "etcd6" uses http but cluster.peerTLS is set', at: '13:30'},
  {name: 'TLS cert without key', yaml: specWith({}, 'cluster:\n  tls:\n    cert: certs/client.pem\n    ca: certs/ca.pem\n').replace(/http:\/\/(10\.0\.\d\.\d):2379/g, 'https://$1:2379'), code: 'incomplete-tls', message: 'cluster.tls has cert but no key', at: '16:11', hint: 'add key'},

  {name: 'https peer URLs with a CA-only cluster.peerTLS', yaml: specWith({}, 'cluster:\n  peerTLS: {ca: ca.pem}\n').replace(/http:\/\/(10\.0\.\d\.\d):2380/g, 'https://$1:2380'), code: 'tls-missing-certificate', message: 'peerURL https://10.0.2.1:2380 of "etcd4" uses https, but its peer TLS (cluster.peerTLS) has no cert and key, so the config etcdplan writes for it has none: etcd would refuse to start it, after it was added (`cannot listen on TLS for 10.0.2.1:2380: KeyFile and CertFile are not presented`)', at: '11:30', hint: 'add cert and key to cluster.peerTLS'},
  {name: 'an https client URL without a server certificate', yaml: specWith({}, 'cluster:\n  tls: {ca: certs/ca.pem}\n').replace(/http:\/\/(10\.0\.\d\.\d):2379/g, 'https://$1:2379'), code: 'tls-missing-certificate', message: 'clientURL https://10.0.2.1:2379 of "etcd4" uses https, but it has no server certificate (cluster.memberTLS, its own tls) with cert and key, so the config etcdplan writes for it has none: etcd would refuse to start it, after it was added (`TLS key/cert (--cert-file, --key-file) must be provided for client url https://10.0.2.1:2379 with HTTPS scheme`)', at: '11:63', hint: 'set cluster.memberTLS'},
  {name: 'cluster.memberTLS with http client URLs', yaml: specWith({}, 'cluster:\n  memberTLS: {ca: /etc/etcd/pki/ca.pem, cert: "/etc/etcd/pki/{name}.pem", key: "/etc/etcd/pki/{name}-key.pem"}\n'), code: 'tls-scheme-mismatch', message: 'cluster.memberTLS is set but all 6 client URLs use http', at: '15:14', hint: 'use https:// for every client URL'},
  {name: "a member's own tls with half a pair", yaml: specWith({11: m('etcd4', 'https://10.0.2.1:2380', 'https://10.0.2.1:2379').replace('}', ', tls: {cert: /pki/etcd4.pem}}')}, 'cluster:\n  tls: {ca: certs/ca.pem}\n  peerTLS: {ca: /pki/ca.pem, cert: "/pki/{name}-peer.pem", key: "/pki/{name}-peer-key.pem"}\n').replace(/http:\/\/(10\.0\.\d\.\d):(2379|2380)/g, 'https://$1:$2'), code: 'incomplete-tls', message: 'the tls of "etcd4" has cert but no key', at: '11:/pki/etcd4.pem', hint: 'cert and key go together'},
  {name: 'config sets client-transport-security beside cluster.memberTLS', yaml: specWith({11: m('etcd4', 'http://10.0.2.1:2380', 'https://10.0.2.1:2379').replace('}', ', config: {client-transport-security: {cert-file: /x.pem}}}')}, 'cluster:\n  tls: {ca: certs/ca.pem}\n  memberTLS: {cert: "/pki/{name}.pem", key: "/pki/{name}-key.pem"}\n').replace(/http:\/\/(10\.0\.\d\.\d):2379/g, 'https://$1:2379'), code: 'managed-config-key', message: 'config key "client-transport-security" of "etcd4" is written by etcdplan', at: '11:client-transport-security', hint: 'cluster.memberTLS'},

  // --- Strategy -------------------------------------------------------------------------------
  {name: 'snapshot without token', yaml: specWith({}, 'strategy: snapshot\n'), code: 'snapshot-needs-token', message: 'strategy snapshot needs cluster.token', at: '14:11', hint: 'test-restored'},
  {name: 'snapshot keeping a member', yaml: specWith({11: m('etcd1', 'http://10.0.1.1:2380', 'http://10.0.1.1:2379')}, 'strategy: snapshot\ncluster: {token: t2}\n'), code: 'snapshot-overlap', message: 'target member "etcd1" is also a source member', at: '11:14'},
  {name: 'snapshot reusing a source address', yaml: specWith({11: m('etcd4', 'http://10.0.1.1:2380', 'http://10.0.2.1:2379')}, 'strategy: snapshot\ncluster: {token: t2}\n'), code: 'snapshot-overlap', message: 'peer URL http://10.0.1.1:2380 of target member "etcd4" is also used by source member "etcd1"', at: '11:30'},
  {name: 'snapshot.from not a source member', yaml: specWith({}, 'snapshot:\n  from: etcd9\n'), code: 'unknown-member', message: 'snapshot.from "etcd9" is not a source member', at: '15:9', hint: 'did you mean "etcd1"?'},
  {name: 'snapshot.from a target member', yaml: specWith({}, 'snapshot:\n  from: leader\n'), code: 'unknown-member', message: 'not a source member', at: '15:9', hint: 'use auto (the leader) or one of "etcd1", "etcd2" or "etcd3"'},

  // --- DNS ------------------------------------------------------------------------------------
  {name: 'dns via exec without command', yaml: specWith({}, 'dns:\n  name: etcd.internal\n  switch:\n    via: exec\n'), code: 'dns-missing-setting', message: 'via exec needs a command', at: '17:10', hint: 'command: ["./switch-dns.sh"]'},
  {name: 'dns via exec with an empty command', yaml: specWith({}, 'dns:\n  name: etcd.internal\n  switch: {via: exec, command: []}\n'), code: 'dns-missing-setting', message: 'via exec needs a command', at: '16:32'},
  {name: 'dns via hosts-file without file', yaml: specWith({}, 'dns:\n  name: etcd.internal\n  switch: {via: hosts-file}\n'), code: 'dns-missing-setting', message: 'needs the file to rewrite', at: '16:hosts-file', hint: '/etc/hosts'},
  {name: 'dns command with via manual', yaml: specWith({}, 'dns:\n  name: etcd.internal\n  switch: {via: manual, command: [./x]}\n'), code: 'unused-setting', message: 'dns.switch.command is ignored with via manual', at: '16:command', severity: 'warning'},

  // --- What this version cannot carry out (src/spec/supported-features.ts) ---------------------
  {name: 'member host, which provider local ignores', yaml: specWith({11: m('etcd4', 'http://10.0.2.1:2380', 'http://10.0.2.1:2379').replace('}', ', host: etcd-b}')}), code: 'not-supported', message: 'host of target member "etcd4" has no effect: provider local runs every member on this machine', at: '11:host', hint: 'set nodes.provider: ssh'},
  {name: 'host of a source member', yaml: specWith({7: '    - name: etcd2\n      peerURL: http://10.0.1.2:2380\n      clientURL: http://10.0.1.2:2379\n      host: 10.0.1.2'}), code: 'not-supported', message: 'host of source member "etcd2" has no effect', at: '10:7'},

  // --- Node providers ---------------------------------------------------------------------------
  {name: 'provider exec without nodes.exec', yaml: specWith({}, 'nodes:\n  provider: exec\n'), code: 'provider-missing-setting', message: 'nodes.provider exec needs nodes.exec', at: '15:13', hint: 'writeConfig, start, stop and isRunning'},
  {name: 'nodes.exec without isRunning', yaml: specWith({}, 'nodes:\n  provider: exec\n  exec: {writeConfig: [w], start: [s], stop: [t]}\n'), code: 'missing-key', message: 'isRunning', at: '16:9'},
  {name: 'snapshot with exec and no restore', yaml: specWith({}, 'strategy: snapshot\ncluster: {token: t}\nnodes:\n  provider: exec\n  exec: {writeConfig: [w], start: [s], stop: [t], isRunning: [i]}\n'), code: 'provider-missing-setting', message: 'needs nodes.exec.restore', at: '18:9'},
  {name: 'another provider\'s settings', yaml: specWith({}, 'nodes:\n  provider: local\n  ssh: {user: root}\n'), code: 'unused-setting', message: 'nodes.ssh is ignored: nodes.provider is local', at: '16:3', severity: 'warning'},
  {name: 'relative data dir over ssh', yaml: specWith({11: m('etcd4', 'http://10.0.2.1:2380', 'http://10.0.2.1:2379').replace('}', ', dataDir: data/etcd4}')}, 'nodes: {provider: ssh}\n'), code: 'relative-remote-path', message: 'dataDir "data/etcd4" of target member "etcd4" is not an absolute path', at: '11:94', hint: '/var/lib/etcd/etcd4'},
  {name: 'relative ssh runDir', yaml: specWith({}, 'nodes:\n  provider: ssh\n  ssh: {runDir: "run/{name}"}\n'), code: 'relative-remote-path', message: 'nodes.ssh.runDir "run/{name}" is not an absolute path', at: '16:17'},
  {name: 'a member named to inject a command', yaml: specWith({11: m('a;reboot', 'http://10.0.2.1:2380', 'http://10.0.2.1:2379')}, 'nodes: {provider: ssh}\n'), code: 'invalid-name', message: 'member name "a;reboot" may only contain', at: '11:a;reboot'},
  {name: 'a host that would be an ssh option', yaml: specWith({11: m('etcd4', 'http://10.0.2.1:2380', 'http://10.0.2.1:2379').replace('}', ', host: -oProxyCommand=x}')}, 'nodes: {provider: ssh}\n'), code: 'invalid-value', message: 'target.members[0].host "-oProxyCommand=x" is not valid: it must be an ssh destination', at: '11:-oProxyCommand'},
  {name: 'dns via rfc2136 without its settings', yaml: specWith({}, 'dns:\n  name: etcd.internal\n  switch: {via: rfc2136}\n'), code: 'dns-missing-setting', message: 'via rfc2136 needs the server, zone and TSIG key', at: '16:rfc2136', hint: 'nsupdate -k'},
  {name: 'dns.switch.rfc2136 with via manual', yaml: specWith({}, 'dns:\n  name: etcd.internal\n  switch: {via: manual, rfc2136: {server: 10.0.0.53, zone: internal, keyFile: k}}\n'), code: 'unused-setting', message: 'dns.switch.rfc2136 is ignored with via manual', at: '16:rfc2136', severity: 'warning'},
  {name: 'dns name outside the rfc2136 zone', yaml: specWith({}, 'dns:\n  name: etcd.internal\n  switch: {via: rfc2136, rfc2136: {server: 10.0.0.53, zone: example.org, keyFile: k}}\n'), code: 'dns-name-outside-zone', message: 'dns.name "etcd.internal" is not in the zone "example.org"', at: '16:example.org', hint: 'internal'},
  {name: 'rfc2136 with a host name in a target clientURL', yaml: specWith({11: m('etcd4', 'http://10.0.2.1:2380', 'http://etcd4.internal:2379')}, 'dns:\n  name: etcd.internal\n  switch: {via: rfc2136, rfc2136: {server: 10.0.0.53, zone: internal, keyFile: k}}\n'), code: 'rfc2136-needs-address', message: 'has the host name etcd4.internal', at: '11:http://etcd4'},
  {name: 'rfc2136 ttl longer than a step', yaml: specWith({}, 'dns:\n  name: etcd.internal\n  switch: {via: rfc2136, rfc2136: {server: 10.0.0.53, zone: internal, keyFile: k, ttl: 300}}\ntimeouts: {step: 2m}\n'), code: 'dns-ttl-too-long', message: 'ttl 300 s is longer than timeouts.step (120 s)', at: '16:88', hint: 'raise timeouts.step'},
  {name: 'rfc2136 without keyFile', yaml: specWith({}, 'dns:\n  name: etcd.internal\n  switch: {via: rfc2136, rfc2136: {server: 10.0.0.53, zone: internal}}\n'), code: 'missing-key', message: 'keyFile', at: '16:35'},
  {name: 'distribute with provider exec', yaml: specWith({}, 'cluster:\n  distribute: {from: certs/}\nnodes:\n  provider: exec\n  exec: {writeConfig: [w], start: [s], stop: [t], isRunning: [i]}\n'), code: 'not-supported', message: "cluster.distribute copies certificates to the new members' hosts, which nodes.provider exec cannot do", at: '15:distribute', hint: 'remove cluster.distribute'},
  {name: 'cluster.tls without ca', yaml: specWith({}, 'cluster:\n  tls: {cert: certs/client.pem, key: certs/client-key.pem}\n').replace(/http:\/\/(10\.0\.\d\.\d):2379/g, 'https://$1:2379'), code: 'not-supported', message: "cluster.tls has no ca: this version of etcdplan checks the members' certificates against cluster.tls.ca only", at: '15:8', hint: 'add ca'},

  // --- Member config --------------------------------------------------------------------------
  {name: 'config sets data-dir', yaml: specWith({11: '    - name: etcd4\n      peerURL: http://10.0.2.1:2380\n      clientURL: http://10.0.2.1:2379\n      config:\n        data-dir: /tmp/x'}), code: 'managed-config-key', message: 'config key "data-dir" of "etcd4" is written by etcdplan', at: '15:9', hint: 'dataDir'},
  {name: 'config sets initial-cluster-token', yaml: specWith({13: m('etcd6', 'http://10.0.2.3:2380', 'http://10.0.2.3:2379').replace('}', ', config: {initial-cluster-token: x}}')}), code: 'managed-config-key', message: '"initial-cluster-token"', at: '13:initial-cluster-token', hint: 'cluster.token'},
  {name: 'config sets advertise-client-urls', yaml: specWith({13: m('etcd6', 'http://10.0.2.3:2380', 'http://10.0.2.3:2379').replace('}', ', config: {advertise-client-urls: x}}')}), code: 'managed-config-key', message: '"advertise-client-urls"', at: '13:advertise-client-urls', hint: 'clientURL'},

  // --- Durations ------------------------------------------------------------------------------
  {name: 'duration in words', yaml: specWith({}, 'timeouts:\n  catchUp: 10 minutes\n'), code: 'invalid-duration', message: 'timeouts.catchUp "10 minutes" is not a duration: unknown unit "minutes"', at: '15:12', hint: '"1m30s"'},
  {name: 'duration without unit', yaml: specWith({}, 'timeouts:\n  step: "120"\n'), code: 'invalid-duration', message: '120 has no unit', at: '15:9'},
  {name: 'duration as a number', yaml: specWith({}, 'timeouts:\n  health: 60\n'), code: 'invalid-duration', message: '"health" must be a duration such as "10m", not 60', at: '15:11', hint: '"60s"'},
  {name: 'transfer rate in words', yaml: specWith({}, 'estimates:\n  transferRate: fast\n'), code: 'invalid-value', message: 'estimates.transferRate "fast" is not a rate', at: '15:17', hint: '100MB/s'},
  {name: 'negative duration', yaml: specWith({}, 'timeouts:\n  health: -5s\n'), code: 'invalid-duration', message: 'must not have a sign', at: '15:11'},
  {name: 'zero duration', yaml: specWith({}, 'timeouts:\n  step: 0s\n'), code: 'invalid-duration', message: 'must be longer than 0', at: '15:9'},
  {name: 'duration with a space', yaml: specWith({}, 'timeouts:\n  step: 2 m\n'), code: 'invalid-duration', message: 'must not contain spaces', at: '15:9'},

  // --- Quorum warnings ------------------------------------------------------------------------
  {name: 'even target', yaml: specWith({13: `${m('etcd6', 'http://10.0.2.3:2380', 'http://10.0.2.3:2379')}\n${m('etcd7', 'http://10.0.2.4:2380', 'http://10.0.2.4:2379')}`}), code: 'even-target', message: 'the target has 4 members', at: '11:5', severity: 'warning', hint: 'odd number'},
  {name: 'single-member target', yaml: specWith({12: '', 13: ''}), code: 'small-target', message: 'the target has 1 member: no fault tolerance', at: '11:5', severity: 'warning'},
  {name: 'two-member target', yaml: specWith({13: ''}), code: 'small-target', message: 'the target has 2 members: no fault tolerance', at: '11:5', severity: 'warning'},
]

function position(yaml: string, at: string): {line: number; col: number} {
  const [lineText, colText] = [at.slice(0, at.indexOf(':')), at.slice(at.indexOf(':') + 1)]
  const line = Number(lineText)
  if (/^\d+$/.test(colText)) return {line, col: Number(colText)}
  const text = yaml.split('\n')[line - 1] ?? ''
  const index = text.indexOf(colText)
  assert.ok(index >= 0, `test case error: "${colText}" is not on line ${line}: ${text}`)
  return {line, col: index + 1}
}

describe('bad specs: one diagnostic per problem, with code, message, hint and position', () => {
  it('has at least 45 cases', () => assert.ok(cases.length >= 45, `${cases.length} cases`))

  for (const c of cases) {
    it(`${c.name} → ${c.code}`, () => {
      const result = parseSpec(c.yaml, 'spec.yaml')
      const want = position(c.yaml, c.at)
      const found = result.diagnostics.filter((d) => d.code === c.code && d.message.includes(c.message))
      const shown = result.diagnostics.map((d) => `${d.line}:${d.col} ${d.severity} ${d.code}: ${d.message} (hint: ${d.hint ?? ''})`).join('\n  ')
      assert.equal(found.length, 1, `expected one ${c.code} diagnostic containing ${JSON.stringify(c.message)}; got:\n  ${shown}`)
      const d = found[0]!
      assert.deepEqual({line: d.line, col: d.col}, want, `position of ${c.code}; got:\n  ${shown}`)
      assert.equal(d.severity, c.severity ?? 'error')
      assert.equal(d.file, 'spec.yaml')
      assert.ok(d.hint !== undefined && d.hint.length > 0, 'every diagnostic says what to do')
      if (c.hint !== undefined) assert.ok(d.hint.includes(c.hint), `hint ${JSON.stringify(d.hint)} should contain ${JSON.stringify(c.hint)}`)
      if ((c.severity ?? 'error') === 'error') {
        assert.equal(result.spec, null)
        assert.equal(result.specHash, null)
      } else {
        assert.notEqual(result.spec, null, `a warning alone keeps the spec; got:\n  ${shown}`)
      }
    })
  }

  it('reports only the one problem for single-problem cases (no follow-on noise)', () => {
    // Cases whose problem leaves nothing else wrong must produce exactly one diagnostic.
    const noisy = cases.filter((c) => {
      const errors = parseSpec(c.yaml, 'spec.yaml').diagnostics
      return errors.length !== 1 && !EXPECTED_MORE_THAN_ONE.has(c.name)
    })
    assert.deepEqual(
      noisy.map((c) => `${c.name}: ${parseSpec(c.yaml, 'spec.yaml').diagnostics.map((d) => d.code).join(', ')}`),
      [],
    )
  })
})

/** Cases where a second diagnostic is right: the one mistake really breaks two rules. */
const EXPECTED_MORE_THAN_ONE = new Set<string>([
  // The parser reports every token it cannot place after the first mistake; all are passed on.
  'tab indentation',
  'unclosed flow mapping',
  'unclosed quote',
  'nested mapping on one line',
  // One https peer URL among http ones is both a clash of address and a scheme without peerTLS.
  'same host and port, other scheme',
  // Specs whose https URLs also lack the certificates etcd needs to start the new members.
  'one http peer URL with cluster.peerTLS',
  'TLS cert without key',
  'cluster.tls without ca',
  // One diagnostic per member etcdplan starts (etcd4, etcd5, etcd6), each at its own URL.
  'https peer URLs with a CA-only cluster.peerTLS',
  'an https client URL without a server certificate',
  // etcd5 and etcd6 have no server certificate at all: one tls-missing-certificate each.
  "a member's own tls with half a pair",
])
