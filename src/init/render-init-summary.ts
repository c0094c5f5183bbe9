// What `etcdplan init` prints when it has written the spec: what it found, and what to do next.
import type {InitSummary} from './init-spec.js'

export function renderInitSummary(summary: InitSummary): string {
  const lines = [`Wrote ${summary.file}: migration "${summary.name}", cluster ${summary.clusterIdHex}${summary.clusterVersion === null ? '' : ` (cluster version ${summary.clusterVersion})`}, provider ${summary.provider}.`, '']
  for (const m of summary.members) {
    const name = m.name === '' ? `(unstarted ${m.id})` : m.name
    const facts = [m.version === null ? 'did not answer Status' : `etcd ${m.version}`, ...(m.leader ? ['leader'] : []), ...(m.learner ? ['learner'] : []), ...(m.listed ? [] : ['not listed: see the comment in the spec'])]
    lines.push(`  ${name.padEnd(12)} ${(m.peerURLs[0] ?? '').padEnd(28)} ${facts.join(', ')}`)
  }
  lines.push('', `Next: edit target.members in ${summary.file} (the cluster you want), check the nodes section, then`, `  etcdplan validate ${summary.file}`, `  etcdplan plan ${summary.file}`)
  return lines.join('\n')
}
