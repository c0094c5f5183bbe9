// What to do when a cluster has lost its quorum: etcd changes its membership only through a quorum of
// its voters, so neither etcdplan nor etcdctl can add or remove a member then. etcd's own
// disaster-recovery path (https://etcd.io/docs/v3.5/op-guide/recovery/) is the way out, and every
// message that finds a lost quorum points to it in the same words — after the check that the quorum
// is lost and not just out of reach (seen from the minority side of a partition, section 3.2 of the
// runbook's notes, a majority that still serves looks the same).

export const QUORUM_RECOVERY_HINT =
  'first make sure the members that do not answer are down, not only cut off from this machine: in a network partition the majority may still run and serve on the other side, and recovering the minority would make a second cluster (run `etcdplan status` from a machine that reaches them). Start the members that are down if their data dirs are intact, then plan again. If they are lost for good, use etcd\'s disaster recovery (https://etcd.io/docs/v3.5/op-guide/recovery/): take a snapshot from a surviving member (`etcdctl --endpoints URL snapshot save backup.db`, which works without quorum) and restore a new cluster from it (`etcdctl snapshot restore`), or restart one surviving member with `--force-new-cluster` to make it a one-member cluster with all its data, then grow it again with etcdplan'
