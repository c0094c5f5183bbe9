// Whether etcd makes `member add`/`remove` wait until the receiving member's peer streams have been up
// for 5 s (HealthInterval) after any member start or restart: etcd 3.4 and 3.5 before 3.5.30 require
// EVERY voter to be connected that long; 3.5.30+ and 3.6.11+ only a quorum, which an old cluster
// already has (etcd-facts.md, "Membership gates" and "Versions").

export type HealthWindowRule = {readonly applies: boolean; readonly why: string}

export function healthWindowRule(version: string | null): HealthWindowRule {
  if (version === null) return {applies: true, why: 'etcd version not observed: assumed 3.4 (every add after a start waits for etcd\'s 5-s window)'}
  const match = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(version)
  if (match === null) return {applies: true, why: `etcd version ${version} not understood: assumed the 5-s window`}
  const [major, minor, patch] = [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)]
  if (major === 3 && minor === 4) return {applies: true, why: `etcd ${version}: an add waits 5 s after a member start or promote`}
  if (major === 3 && minor === 5 && patch < 30) return {applies: true, why: `etcd ${version} (before 3.5.30): an add waits 5 s after a member start or promote`}
  if (major === 3 && minor === 6 && patch < 11) return {applies: true, why: `etcd ${version} (before 3.6.11): an add waits 5 s after a member start or promote`}
  return {applies: false, why: `etcd ${version}: a quorum of connected members suffices, no 5-s wait after a start`}
}
