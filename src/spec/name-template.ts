// The `{name}` templates of nodes.ssh (unit, runDir, snapshotDir, dataDir, configFile; docs/spec.md,
// "Node providers on real hosts"): the normaliser fills dataDir and configFile per member, the ssh
// provider the others; one function for both, so a template means the same everywhere.

export function fillTemplate(template: string, memberName: string): string {
  return template.replaceAll('{name}', memberName)
}
