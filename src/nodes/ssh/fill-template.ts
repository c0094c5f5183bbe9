// nodes.ssh templates (unit, runDir, snapshotDir, dataDir, configFile) name a member by `{name}`
// (docs: spec.md, "Node providers on real hosts"); the spec keeps them as written, the provider fills them.

export function fillTemplate(template: string, memberName: string): string {
  return template.replaceAll('{name}', memberName)
}
